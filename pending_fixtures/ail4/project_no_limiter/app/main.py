from fastapi import FastAPI

from app.routers import chat, documents

app = FastAPI()
app.include_router(chat.router)
app.include_router(documents.router)
