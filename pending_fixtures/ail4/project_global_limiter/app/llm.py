import anthropic

client = anthropic.Anthropic()


def ask(prompt: str) -> str:
    message = client.messages.create(model="claude-3-5-haiku-latest", max_tokens=500, messages=[{"role": "user", "content": prompt}])
    return message.content[0].text
