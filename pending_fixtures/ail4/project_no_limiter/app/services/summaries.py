from .llm import complete


def summarize(text: str) -> str:
    return complete("Summarize:\n" + text)


def word_count(text: str) -> int:
    return len(text.split())
