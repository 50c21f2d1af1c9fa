from fastapi import APIRouter

from app.services.llm import complete

router = APIRouter(prefix="/chat")


@router.post("/")
def chat(q: str):  # expect: AIL401
    return {"answer": complete(q)}


@router.get("/status")
def status():
    return {"ok": True}
