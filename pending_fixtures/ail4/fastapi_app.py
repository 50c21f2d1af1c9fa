# AIL401 on FastAPI: handlers that reach an AI request, limited or not.
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi_limiter.depends import RateLimiter
from openai import AsyncOpenAI
from slowapi import Limiter
from slowapi.util import get_remote_address

app = FastAPI()
router = APIRouter()
limited_router = APIRouter(dependencies=[Depends(RateLimiter(times=5, seconds=60))])
limiter = Limiter(key_func=get_remote_address)
client = AsyncOpenAI()


async def complete(prompt: str) -> str:
    response = await client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": prompt}])
    return response.choices[0].message.content


async def answer(question: str) -> str:
    return await complete(f"Answer briefly: {question}")


@app.post("/chat")
async def chat(q: str):  # expect: AIL401
    return await client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": q}])


@router.post("/ask")
async def ask(q: str):  # expect: AIL401
    return {"answer": await answer(q)}


@app.websocket("/ws")
async def ws(websocket):  # expect: AIL401
    text = await websocket.receive_text()
    await websocket.send_text(await complete(text))


@app.post("/limited")
@limiter.limit("10/minute")
async def limited(request: Request, q: str):
    return await complete(q)


@app.post("/dep", dependencies=[Depends(RateLimiter(times=2, seconds=5))])
async def with_dependency(q: str):
    return await complete(q)


@limited_router.post("/router")
async def on_limited_router(q: str):
    return await complete(q)


@app.post("/quota")
async def with_quota(q: str, user: str):
    await check_rate_limit(user)
    return await complete(q)


@app.get("/health")
async def health():
    return {"ok": True}


async def check_rate_limit(user: str) -> None:
    ...
