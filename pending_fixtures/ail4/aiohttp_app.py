# AIL401 on aiohttp: RouteTableDef, app.router.add_post, class views.
from aiohttp import web
from aiolimiter import AsyncLimiter
from openai import AsyncOpenAI

routes = web.RouteTableDef()
client = AsyncOpenAI()
bucket = AsyncLimiter(10, 60)


async def complete(text):
    response = await client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": text}])
    return response.choices[0].message.content


@routes.post("/chat")
async def chat(request):  # expect: AIL401
    body = await request.json()
    return web.json_response({"answer": await complete(body["q"])})


async def summarize(request):  # expect: AIL401
    return web.json_response({"answer": await complete(await request.text())})


async def paced(request):
    async with bucket:
        return web.json_response({"answer": await complete(await request.text())})


class ChatView(web.View):
    async def post(self):  # expect: AIL401
        return web.json_response({"answer": await complete(await self.request.text())})


@routes.get("/ping")
async def ping(request):
    return web.Response(text="pong")


app = web.Application()
app.add_routes(routes)
app.router.add_post("/summarize", summarize)
app.router.add_post("/paced", paced)
app.router.add_view("/view", ChatView)
