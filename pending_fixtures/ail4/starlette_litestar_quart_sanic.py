# AIL401 on Starlette, Litestar, Quart and Sanic handlers in one module.
import litellm
from litestar import post
from quart import Quart
from sanic import Sanic
from starlette.routing import Route


def llm(text):
    return litellm.completion(model="gpt-4o-mini", messages=[{"role": "user", "content": text}])


async def star_chat(request):  # expect: AIL401
    return llm((await request.json())["q"])


routes = [Route("/chat", star_chat, methods=["POST"])]


@post("/litestar")
async def litestar_chat(data: dict) -> dict:  # expect: AIL401
    return llm(data["q"])


quart_app = Quart(__name__)


@quart_app.post("/quart")
async def quart_chat():  # expect: AIL401
    return llm("hello")


sanic_app = Sanic("demo")


@sanic_app.post("/sanic")
async def sanic_chat(request):  # expect: AIL401
    return llm(request.json["q"])


@sanic_app.get("/sanic/health")
async def sanic_health(request):
    return {"ok": True}
