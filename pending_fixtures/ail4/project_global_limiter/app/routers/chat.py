from fastapi import APIRouter

from app import llm

router = APIRouter()


@router.post("/chat")
def chat(q: str):
    return {"answer": llm.ask(q)}


@router.post("/translate")
def translate(text: str, target: str):
    return {"text": llm.ask(f"Translate to {target}: {text}")}
