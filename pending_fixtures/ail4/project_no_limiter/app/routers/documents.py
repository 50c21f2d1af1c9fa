from fastapi import APIRouter

from ..services import summaries

router = APIRouter(prefix="/documents")


@router.post("/summary")
def summary(text: str):  # expect: AIL401
    return {"summary": summaries.summarize(text)}


@router.post("/count")
def count(text: str):
    return {"words": summaries.word_count(text)}
