# AIL401 on Flask: decorators, blueprints, add_url_rule, MethodView.
import anthropic
from flask import Blueprint, Flask, request
from flask.views import MethodView
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

app = Flask(__name__)
bp = Blueprint("api", __name__)
limiter = Limiter(get_remote_address, app=app)
claude = anthropic.Anthropic()


def summarize(text):
    message = claude.messages.create(model="claude-3-5-haiku-latest", max_tokens=300, messages=[{"role": "user", "content": text}])
    return message.content[0].text


@app.route("/summarize", methods=["POST"])
def summarize_view():  # expect: AIL401
    return {"summary": summarize(request.json["text"])}


@bp.post("/translate")
def translate():  # expect: AIL401
    return {"text": summarize("Translate: " + request.json["text"])}


def registered():  # expect: AIL401
    return summarize(request.get_data(as_text=True))


app.add_url_rule("/registered", view_func=registered, methods=["POST"])


class ChatView(MethodView):
    def post(self):  # expect: AIL401
        return {"answer": summarize(request.json["q"])}

    def get(self):
        return {"status": "ready"}


class LimitedView(MethodView):
    decorators = [limiter.limit("5/minute")]

    def post(self):
        return {"answer": summarize(request.json["q"])}


@app.post("/limited")
@limiter.limit("20/hour")
def limited():
    return summarize(request.json["text"])


@app.get("/")
def index():
    return "hello"
