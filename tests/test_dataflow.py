"""The dataflow layer on its own: each construct it follows, and what it must not follow.

Every test runs the real single walk with a probe visitor that, like a rule, asks
`sources_of(...)` for the argument of each `sink(...)` call when the walk reaches it.
"Model output" comes from a trivial injected predicate: any call to `llm(...)`.
"""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from linter.engine.dataflow import DataflowTracker, Source
from linter.engine.semantics import Semantics, dotted_name
from linter.engine.walker import Dispatcher
from linter.knowledge.credentials import is_credential_name
from linter.knowledge.pii import PiiVocabulary


class _Probe:
    def __init__(self, tracker: DataflowTracker) -> None:
        self.tracker = tracker
        self.results: list[list[Source]] = []
        self.calls: list[cst.Call] = []

    def visit_Call(self, node: cst.Call) -> None:
        if dotted_name(node.func) == "sink":
            self.calls.append(node)
            self.results.append(self.tracker.sources_of(node.args[0].value, include_sanitized=True))


def _run(code: str, **options) -> tuple[list[list[Source]], DataflowTracker, _Probe]:
    module = cst.parse_module(textwrap.dedent(code))
    semantics = Semantics(module)
    tracker = DataflowTracker(
        semantics, module, is_ai_request=lambda call: dotted_name(call.func) in ("llm", "client.create"), **options
    )
    probe = _Probe(tracker)
    Dispatcher([semantics, tracker, probe]).walk(module)
    return probe.results, tracker, probe


def flows(code: str, label: str | None = None, **options) -> list[set[str]]:
    """For each sink, the descriptions of the unsanitized sources (of `label`) reaching it."""
    results, _, _ = _run(code, **options)
    return [{s.description for s in found if not s.sanitized and (label is None or s.label == label)}
            for found in results]


def labels(code: str) -> list[set[str]]:
    results, _, _ = _run(code)
    return [{s.label for s in found if not s.sanitized} for found in results]


def one(code: str, label: str | None = None, **options) -> set[str]:
    (result,) = flows(code, label, **options)
    return result


# --- sources --------------------------------------------------------------------------------
def test_person_field_attribute_subscript_and_get():
    assert one("sink(user.email)") == {"user.email"}
    assert one("sink(data['ssn'])") == {"data['ssn']"}
    assert one("sink(data.get('phone_number'))") == {"data.get('phone_number')"}
    assert one("sink(customer.name)") == {"customer.name"}


def test_name_only_personal_when_owner_is_a_person():
    assert one("sink(model.name)") == set()
    assert one("sink(file_name)") == set()
    assert one("sink(settings.name)") == set()
    assert one("sink(patient['address'])") == {"patient['address']"}
    assert one("sink(server.address)") == set()


def test_ids_and_templates_are_not_personal_data():
    assert one("sink(email_template_id)") == set()
    assert one("sink(user.id)") == set()
    assert one("sink(user_id)") == set()
    assert one("sink(request_body.email_count)") == set()


def test_whole_person_object_and_its_non_personal_fields():
    assert one("sink(f'{user}')") == {"user"}
    assert one("sink(request.user)") == {"request.user"}
    assert one("sink(user.preferences)") == set()
    assert one("sink(user.is_active)") == set()


def test_the_users_own_question_is_not_personal_data():
    assert one("sink(user_question)") == set()
    assert one("sink(user_message)") == set()
    assert labels("sink(request.json['question'])") == [{"untrusted"}]


def test_parameters_are_classified_by_name():
    code = """
    def f(email, query, api_key):
        sink(email)
        sink(query)
        sink(api_key)
    """
    assert flows(code) == [{"email"}, set(), {"api_key"}]


def test_dict_literal_with_personal_keys_the_seed_example():
    code = """
    user_data = {"name": "John Doe", "email": "john.doe@example.com", "ssn": "123-45-6789",
                 "query": "What is the weather today?"}
    sink(f"User info: {user_data}")
    sink(user_data["query"])
    """
    first, second = flows(code)
    assert first == {"the 'email' entry", "the 'ssn' entry"}
    assert second == set()


def test_pydantic_model_with_personal_fields():
    code = """
    class Applicant(BaseModel):
        email: str
        income: int

    def handle(a: Applicant, q: Question):
        sink(a)
        sink(q)
    """
    assert flows(code) == [{"a"}, set()]


def test_secrets():
    assert labels("sink(os.environ['OPENAI_API_KEY'])") == [{"secret"}]
    assert labels("sink(os.getenv('DB_PASSWORD'))") == [{"secret"}]
    assert labels("sink(os.environ.get('HOME'))") == [set()]
    assert labels("sink(settings.SECRET_KEY)") == [{"secret"}]
    assert labels("sink(max_tokens)") == [set()]
    assert labels("sink(self.client_secret)") == [{"secret"}]


def test_untrusted_request_data():
    assert labels("from flask import request\nsink(request.json)") == [{"untrusted"}]
    assert labels("sink(request.get_json())") == [{"untrusted"}]
    assert labels("sink(request.form['q'])") == [{"untrusted"}]
    assert labels("sink(request.args.get('q'))") == [{"untrusted"}]
    assert labels("sink(request.POST['q'])") == [{"untrusted"}]
    assert labels("sink(self.request.data)") == [{"untrusted"}]
    assert labels("sink(input('> '))") == [{"untrusted"}]
    assert labels("import sys\nsink(sys.stdin.read())") == [{"untrusted"}]
    assert labels("sink(request.method)") == [set()]
    code = """
    async def chat(request: Request):
        body = await request.json()
        sink(body["message"])
    """
    assert labels(code) == [{"untrusted"}]


def test_route_handler_parameters_and_websockets():
    code = """
    @app.post("/chat")
    async def chat(payload: ChatIn, db: Session = Depends(get_db), request: Request = None):
        sink(payload.message)
        sink(db)

    @app.websocket("/ws")
    async def ws_endpoint(websocket: WebSocket):
        text = await websocket.receive_text()
        sink(text)

    def not_a_route(payload):
        sink(payload)
    """
    assert labels(code) == [{"untrusted"}, set(), {"untrusted"}, set()]


def test_model_output_and_what_derives_from_it():
    code = """
    resp = client.create(messages=[])
    text = resp.choices[0].message.content
    sink(text)
    sink(resp.usage.total_tokens)
    sink(resp.id)
    sink(llm("x").content.strip())
    """
    assert labels(code) == [{"model_output"}, set(), set(), {"model_output"}]


# --- propagation -----------------------------------------------------------------------------
def test_assignment_chain_and_reassignment_kills():
    assert one("a = user.email\nb = a\nsink(b)") == {"user.email"}
    assert one("a = user.email\na = 'hello'\nsink(a)") == set()
    assert one("a = 'hello'\nsink(a)\na = user.email") == set()


def test_branches_join():
    code = """
    a = "hello"
    if flag:
        a = user.email
    else:
        a = "bye"
    sink(a)
    """
    assert one(code) == {"user.email"}


def test_augmented_assignment():
    assert one("p = 'Hi '\np += user.phone\nsink(p)") == {"user.phone"}


def test_fstring_format_percent_plus_join():
    assert one("sink(f'mail {user.email}!')") == {"user.email"}
    assert one("sink('x {}'.format(user.email))") == {"user.email"}
    assert one("sink('x {e}'.format(e=user.email))") == {"user.email"}
    assert one("sink('x %s' % user.email)") == {"user.email"}
    assert one("sink('x %s %s' % (a, user.email))") == {"user.email"}
    assert one("sink('x ' + user.email)") == {"user.email"}
    assert one("sink(', '.join([user.email, 'b']))") == {"user.email"}


def test_format_keyword_named_for_personal_data():
    assert one("sink(template.format(email=row[3]))") == {"`email=`"}
    assert one("sink(template.format(question=row[3]))") == set()


def test_conversions():
    assert one("sink(str(user.email))") == {"user.email"}
    assert one("import json\nsink(json.dumps({'e': user.email}))") == {"user.email"}
    assert one("import textwrap\nsink(textwrap.dedent(f'''{user.email}'''))") == {"user.email"}


def test_containers_and_comprehensions():
    assert one("sink([1, (user.email,)])") == {"user.email"}
    assert one("sink({'content': user.email})") == {"user.email"}
    assert one("sink([f'{u.email}' for u in users])") == {"u.email"}
    assert one("sink({k: v for k, v in patient_data.items()})") == {"patient_data"}
    assert one("sink([len(x) for x in user.email])") == set()


def test_list_append_extend_insert():
    code = """
    messages = [{"role": "system", "content": "be nice"}]
    messages.append({"role": "user", "content": question})
    sink(messages)
    messages.append({"role": "user", "content": f"my mail is {user.email}"})
    sink(messages)
    other = []
    other.extend(emails)
    other.insert(0, "x")
    sink(other)
    """
    assert flows(code) == [set(), {"user.email"}, {"emails"}]


def test_dict_update_and_item_assignment():
    code = """
    payload = {}
    payload["email"] = row[2]
    sink(payload)
    extra = {}
    extra.update(ssn=value)
    sink(extra)
    meta = {}
    meta["q"] = question
    sink(meta)
    """
    assert flows(code) == [{"`email`"}, {"`ssn`"}, set()]


def test_unpacking():
    assert one("a, b = user.email, 'x'\nsink(b)") == set()
    assert one("a, b = user.email, 'x'\nsink(a)") == {"user.email"}
    assert one("a, *rest = contact_pair\nsink(a)") == set()
    assert one("a, b = user.email.split('@')\nsink(a)") == {"user.email"}


def test_with_bound_and_loop_names():
    assert labels("with open(p) as fh:\n    sink(fh)") == [set()]
    assert one("with patient_record() as rec:\n    sink(rec.diagnosis)") == {"rec.diagnosis"}
    assert one("for e in user.emails:\n    sink(e)") == {"user.emails"}


def test_helper_function_summaries():
    code = """
    def build(question, who):
        return f"Q: {question} from {who}"

    def clean(x):
        return "constant"

    sink(build("hi", user.email))
    sink(build(user.email, "me"))
    sink(clean(user.email))
    sink(later(user.phone))

    def later(value):
        return [value]
    """
    assert flows(code) == [{"user.email"}, {"user.email"}, set(), {"user.phone"}]


def test_helper_that_returns_its_own_personal_data():
    code = """
    def describe(customer):
        return f"{customer.first_name} <{customer.email}>"

    sink(describe(c))
    """
    assert one(code) == {"customer.first_name", "customer.email"}


def test_methods_of_the_same_class():
    code = """
    class Bot:
        def prompt_for(self, u):
            return "hello " + u.email

        def run(self):
            sink(self.prompt_for(current))
            self.history.append(user.phone)
            sink(self.history)
    """
    assert flows(code) == [{"u.email"}, {"user.phone"}]


def test_recursive_helpers_terminate():
    code = """
    def f(x):
        return g(x)

    def g(y):
        return f(y) + y

    sink(f(user.email))
    """
    assert one(code) == {"user.email"}


def test_constructors_carry_their_data_but_not_their_configuration():
    assert labels("sink(HumanMessage(content=request.json['q']))") == [{"untrusted"}]
    assert labels("c = OpenAI(api_key=os.environ['OPENAI_API_KEY'])\nr = c.chat(x)\nsink(r)") == [set()]


# --- sanitizers ------------------------------------------------------------------------------
def test_sanitized_values_are_marked():
    results, _, _ = _run("sink(redact(user.email))\nsink(mask_pii(user.ssn))\nsink(hashlib.sha256(user.email.encode()).hexdigest())")
    assert [[(s.label, s.sanitized) for s in r] for r in results] == [
        [("pii", True)], [("pii", True)], [("pii", True)]
    ]


def test_len_and_metrics_are_clean():
    assert one("sink(len(user.email))") == set()
    assert one("sink(user.email.count('@'))") == set()
    assert one("sink(f'{len(user.email)} chars')") == set()
    assert one("sink(bool(user.phone))") == set()


def test_sanitized_then_assigned_stays_clean():
    assert one("safe = anonymize(user.email)\nsink(safe)") == set()
    assert one("email = redact(user.email)\nsink(email)") == set()


def test_configured_sanitizer():
    assert one("sink(myco.privacy.clean(user.email))", sanitizers=("myco.privacy.clean",)) == set()
    assert one("sink(myco.privacy.clean(user.email))") == set()  # an unknown call does not carry its args
    assert one("sink(f'{user.email}'.format())") == {"user.email"}


def test_redaction_does_not_clean_injection_but_escaping_does():
    results, _, _ = _run("sink(redact(request.json['q']))\nimport shlex\nsink(shlex.quote(llm('x').text))")
    assert [[(s.label, s.sanitized) for s in r] for r in results] == [[("untrusted", False)], [("model_output", True)]]


def test_opaque_value_takes_the_meaning_of_its_name():
    assert one("email = row[3]\nsink(email)") == {"email"}
    assert one("email = 'support@example.com'\nsink(email)") == set()


# --- queries after the walk, robustness, extension ----------------------------------------------
def test_query_in_finish_with_at():
    _, tracker, probe = _run("p = user.email\nsink(p)\np = 'x'")
    (call,) = probe.calls
    assert [s.description for s in tracker.sources_of(call.args[0].value, at=call)] == ["user.email"]


def test_extend_names():
    assert one("sink(badge_number)") == set()
    assert one("sink(badge_number)", pii=PiiVocabulary(["badge number"])) == {"badge_number"}


def test_deep_expressions_do_not_crash():
    code = "x = " + " + ".join(["a"] * 3000) + "\nsink(x)\n"
    results, _, _ = _run(code)
    assert results == [[]]


# --- the vocabularies -------------------------------------------------------------------------
PII = PiiVocabulary()


@pytest.mark.parametrize(
    "name",
    ["email", "user_email", "emailAddress", "e_mail", "phone", "mobileNumber", "ssn", "social_security_number",
     "national_id", "tax_id", "passport_number", "drivers_license", "date_of_birth", "dob", "birthDate",
     "home_address", "street", "postcode", "zip_code", "credit_card", "card_number", "cvv", "iban",
     "account_number", "routing_number", "first_name", "lastName", "full_name", "ip_address", "medical_record",
     "mrn", "diagnosis", "customer_name", "emails", "email_str", "billing_address"],
)
def test_pii_names(name):
    assert PII.is_pii_name(name)


@pytest.mark.parametrize(
    "name",
    ["email_template_id", "model_name", "file_name", "address_space", "ip_address_family", "name", "address",
     "user_id", "is_email", "num_emails", "email_count", "redacted_email", "email_hash", "hashed_phone",
     "email_domain", "question", "message", "query", "user_message", "email_subject", "masked_card_number",
     "email_regex", "phone_type", "prompt"],
)
def test_not_pii_names(name):
    assert not PII.is_pii_name(name)


def test_owned_names():
    assert PII.is_pii_name("name", owner_is_person=True)
    assert PII.is_pii_name("address", owner_is_person=True)
    assert PII.is_pii_name("get_email", accessor=True)


@pytest.mark.parametrize("name", ["user", "customer", "patient", "profile", "user_data", "current_user", "members",
                                  "employee", "customerRecord", "patient_info"])
def test_person_like(name):
    assert PII.is_person_like(name)


@pytest.mark.parametrize("name", ["client", "user_id", "user_message", "user_input", "user_agent", "users_table",
                                  "openai_client", "model", "user_prompt"])
def test_not_person_like(name):
    assert not PII.is_person_like(name)


@pytest.mark.parametrize("name,expected", [("OPENAI_API_KEY", True), ("db_password", True), ("client_secret", True),
                                           ("max_tokens", False), ("api_key_env", False), ("token_count", False)])
def test_secret_names(name, expected):
    assert is_credential_name(name) is expected


def test_walrus_and_star_arguments():
    assert one("if (e := user.email):\n    sink(e)") == {"user.email"}
    code = """
    def join_all(*parts):
        return " ".join(parts)

    sink(join_all("a", user.phone))
    """
    assert one(code) == {"user.phone"}


@pytest.mark.parametrize(
    "code,dangerous",
    [
        ("eval(x)", ["x"]),
        ("exec(x, {})", ["x"]),
        ("os.system(x)", ["x"]),
        ("subprocess.run(x, shell=True)", ["x"]),
        ("pickle.loads(x)", ["x"]),
        ("yaml.load(x)", ["x"]),
        ("yaml.load(x, Loader=yaml.SafeLoader)", []),
        ("cur.execute(x, (y,))", ["x"]),
        ("flask.render_template_string(x)", ["x"]),
        ("markupsafe.Markup(x)", ["x"]),
        ("importlib.import_module(x)", ["x"]),
        ("json.loads(x)", []),
    ],
)
def test_dangerous_arguments(code, dangerous):
    from linter.knowledge.taint import dangerous_arguments

    call = cst.parse_expression(code)
    assert isinstance(call, cst.Call)
    assert [dotted_name(v) for v in dangerous_arguments(call, dotted_name(call.func) or "")] == dangerous


def test_constants_and_enum_members_are_not_personal_data():
    assert one("sink(MessagesRole.USER)") == set()
    assert one("sink(Fields.EMAIL)") == set()
    assert labels("sink(settings.OPENAI_API_KEY)") == [{"secret"}]


def test_rules_reach_it_as_ctx_dataflow_in_the_one_walk():
    """A rule-shaped visitor (not a Rule subclass, so the catalogue stays as it is) asks the
    engine's tracker during analyze_source; the configured extension and sanitizer apply."""
    from linter.config import Config, PiiConfig
    from linter.engine.analyze import analyze_source

    seen: list[list[tuple[str, bool]]] = []

    class Asker:
        code = "AIL990"
        uses = ("dataflow",)  # as a rule declares it: the tracker runs where a rule uses it

        def __init__(self, ctx):
            self.ctx = ctx

        def visit_Call(self, node: cst.Call) -> None:
            if dotted_name(node.func) == "sink":
                found = self.ctx.dataflow.sources_of(node.args[0].value, include_sanitized=True)
                seen.append([(s.description, s.sanitized) for s in found])

    code = b"x = f'{user.email} {badge_no}'\nsink(x)\nsink(acme_clean(user.email))\n"
    config = Config(root=".", pii=PiiConfig(extend_names=("badge no",), sanitizers=("acme_clean",)))
    analyze_source("t.py", code, config, [Asker])  # type: ignore[list-item]
    assert seen == [[("badge_no", False), ("user.email", False)], [("user.email", True)]]


def test_loop_items_take_the_iterables_meaning_not_a_secret_name():
    assert labels("for token in stream:\n    sink(token)") == [set()]
    assert one("for email in load_rows():\n    sink(email)") == {"email"}
