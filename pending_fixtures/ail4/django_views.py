# AIL401 on Django: a views module (function views, class views, DRF).
# (The file name makes it a Django views module: see pending_fixtures/ail4/README.md.)
from django.http import JsonResponse
from django.utils.decorators import method_decorator
from django.views import View
from django_ratelimit.decorators import ratelimit
from openai import OpenAI
from rest_framework.decorators import api_view, throttle_classes
from rest_framework.response import Response
from rest_framework.throttling import UserRateThrottle
from rest_framework.views import APIView

client = OpenAI()


def _ask(prompt):
    return client.responses.create(model="gpt-4o-mini", input=prompt).output_text


def ask(request):  # expect: AIL401
    return JsonResponse({"answer": _ask(request.POST["q"])})


@ratelimit(key="ip", rate="10/m")
def ask_limited(request):
    return JsonResponse({"answer": _ask(request.POST["q"])})


class AskView(View):
    def post(self, request):  # expect: AIL401
        return JsonResponse({"answer": _ask(request.POST["q"])})


@method_decorator(ratelimit(key="user", rate="5/m"), name="post")
class LimitedAskView(View):
    def post(self, request):
        return JsonResponse({"answer": _ask(request.POST["q"])})


class ChatAPI(APIView):
    def post(self, request):  # expect: AIL401
        return Response({"answer": _ask(request.data["q"])})


class ThrottledChatAPI(APIView):
    throttle_classes = [UserRateThrottle]

    def post(self, request):
        return Response({"answer": _ask(request.data["q"])})


@api_view(["POST"])
def completion(request):  # expect: AIL401
    return Response({"answer": _ask(request.data["q"])})


@api_view(["POST"])
@throttle_classes([UserRateThrottle])
def throttled_completion(request):
    return Response({"answer": _ask(request.data["q"])})


def about(request):
    return JsonResponse({"version": 1})
