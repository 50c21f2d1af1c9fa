"""The vocabulary of personal data: which names, keys and objects hold it.

Matching is token-aware (names split on `_`, `-`, `.`, spaces, camelCase and digits, as for
credentials), phrase-based and head-noun-based:

- a name holds personal data when it contains a personal-data phrase (`email`, `phone number`,
  `date of birth`, `card number`, ...) and nothing after the phrase turns it into something
  else: `user_email` and `emailAddress` are personal data, `email_template_id`,
  `email_domain` and `ip_address_family` are not;
- `name` and `address` alone are ambiguous (`model_name`, `file_name`, `address_space`): they
  count after a person word (`customer_name`, `first_name`, `home_address`) or as a field of a
  person-like object (`user.name`, `patient["address"]`);
- exclusion words say the value is already safe or not the datum itself (`email_hash`,
  `redacted_email`, `is_email`, `email_count`, `num_emails`), as in CodeQL's heuristics;
- "question", "message", "query", "prompt" are not personal data (Bearer's largest source of
  noise on LLM code): the user's own question is not personal data by itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from linter.knowledge.credentials import name_tokens

_DIGITS_RE = re.compile(r"\d+$")

#: phrases (token tuples) that name a personal datum on their own
PII_PHRASES: frozenset[tuple[str, ...]] = frozenset(
    tuple(phrase.split())
    for phrase in (
        # contact
        "email", "e mail", "email address", "emailaddress", "mail address", "phone", "phone number",
        "phonenumber", "mobile", "mobile number", "telephone", "cellphone", "cell phone", "msisdn",
        "home phone", "contact number", "fax number",
        # government identifiers
        "ssn", "social security", "social security number", "national id", "national identifier",
        "national insurance number", "nino", "tax id", "taxpayer id", "tax number", "tax identification number",
        "passport", "passport number", "driver license", "drivers license", "driving license",
        "driver licence", "drivers licence", "driving licence", "license number", "licence number",
        "aadhaar", "personnummer",
        # birth
        "dob", "date of birth", "birth date", "birthdate", "birthday", "birth day",
        # location, when personal
        "home address", "street address", "street", "postcode", "post code", "postal code", "zip code",
        "zipcode", "billing address", "shipping address", "mailing address", "postal address",
        "residential address", "geolocation",
        # names of people
        "first name", "firstname", "last name", "lastname", "full name", "fullname", "given name",
        "family name", "surname", "middle name", "maiden name", "username", "user name", "legal name",
        # financial
        "credit card", "creditcard", "debit card", "card number", "cardnumber", "cc number", "cvv", "cvc",
        "pan", "iban", "account number", "bank account", "routing number", "sort code", "salary",
        # network identity
        "ip", "ip address", "ipaddress", "ip addr", "remote addr", "client ip", "mac address",
        # health
        "medical record", "medical record number", "mrn", "diagnosis", "diagnoses", "health record",
        "medical history", "prescription", "health insurance", "insurance number",
        # special categories
        "gender", "ethnicity", "religion", "sexual orientation", "biometric",
    )
)

#: words naming a person (the owner of personal fields); `client` is an API client, not a person,
#: and `candidate` is left out: in AI code it is a generation (Gemini's `response.candidates`)
#: or a retrieval hit far more often than a job applicant
PERSON_WORDS = frozenset(
    {
        "user", "customer", "patient", "profile", "member", "employee", "person", "people", "applicant",
        "student", "contact", "recipient", "subscriber", "buyer", "guest", "visitor",
        "citizen", "resident", "beneficiary", "policyholder", "borrower", "donor", "passenger",
        "traveler", "traveller", "individual", "consumer", "shopper", "cardholder", "accountholder",
        "userinfo", "author", "attendee", "learner", "caller",
    }
)
#: heads that keep a person word's meaning: `user_data`, `customer_record`, `patient_info`
_PERSON_CONTAINER_HEADS = frozenset(
    {"data", "info", "information", "details", "detail", "record", "records", "profile", "obj", "object",
     "dict", "instance", "entity", "row", "doc", "document", "json", "payload"}
)
#: ambiguous data words that count after a person word or as a person's field
_PERSONAL_WHEN_OWNED = frozenset({"name", "address", "location", "age", "birthday", "nationality", "phone"})

#: tokens after a phrase that keep it a datum: `email_value`, `phone_str`, `email_text`
_DATA_SUFFIXES = frozenset({"value", "values", "str", "string", "text", "raw", "plain", "list", "field_value",
                            "input", "addr", "data", "info", "primary", "secondary", "new", "old", "clean"})

#: tokens anywhere that say the value is safe already, or is about the datum rather than it
EXCLUDE_WORDS = frozenset(
    {
        "redacted", "hashed", "masked", "encrypted", "anonymized", "anonymised", "pseudonymized",
        "pseudonymised", "tokenized", "obfuscated", "censored", "scrubbed", "hash", "digest", "md5",
        "sha", "sha1", "sha256", "hmac", "salt", "regex", "re", "pattern", "validator", "template",
        "placeholder", "verified", "enabled", "domain", "provider", "server", "host", "port",
        "subject", "body", "sent", "settings", "config", "column", "col", "label", "schema", "mask",
        "format", "fmt", "sender",
    }
)
#: leading tokens that make a flag or a count: `is_email`, `has_phone`, `num_emails`
_FLAG_OR_COUNT_PREFIXES = frozenset({"is", "has", "num", "n", "max", "min", "total", "count", "should",
                                     "allow", "require", "requires", "use", "valid", "validate", "check"})
#: a final token that makes an identifier, a count, a flag or a type, not the datum itself
METADATA_WORDS = frozenset(
    {
        "id", "ids", "uuid", "guid", "pk", "key", "keys", "count", "counts", "len", "length", "size",
        "type", "types", "kind", "flag", "flags", "enabled", "template", "templates", "status", "code",
        "codes", "index", "idx", "usage", "created", "updated", "at", "timestamp", "time", "date",
        "model", "reason", "object", "fingerprint", "latency", "duration", "tokens", "role", "version",
        "family", "space", "spaces", "mode", "class", "cls", "level", "format", "prefix", "suffix",
        "pattern", "regex", "column", "field", "fields", "name_field", "label", "labels", "schema",
        "error", "errors", "valid", "validator", "policy", "visibility", "setting", "settings",
        "verified", "confirmed", "sent", "exists", "required", "optional", "hash", "hashed", "masked",
        "redacted", "encrypted", "domain", "provider", "template_id", "placeholder", "list_id",
    }
)
#: leading verbs of accessor functions: `get_email()` reads as `email`
_ACCESSOR_VERBS = frozenset({"get", "fetch", "load", "read", "lookup", "find", "retrieve", "extract"})


def tokens_of(name: str) -> list[str]:
    """Lower-cased tokens with trailing digits dropped: `email2` -> ['email']."""
    out = []
    for token in name_tokens(name):
        token = _DIGITS_RE.sub("", token)
        if token:
            out.append(token)
    return out


def _singular(token: str, vocabulary: Iterable[str]) -> str:
    vocab = vocabulary if isinstance(vocabulary, (set, frozenset)) else set(vocabulary)
    if token in vocab:
        return token
    for cut in ("es", "s"):
        if token.endswith(cut) and token[: -len(cut)] in vocab:
            return token[: -len(cut)]
    return token


class PiiVocabulary:
    """Personal-data name matching, extended by `[tool.ailint.pii] extend-names`."""

    def __init__(self, extend_names: Iterable[str] = ()) -> None:
        phrases = set(PII_PHRASES)
        for name in extend_names:
            tokens = tuple(tokens_of(name))
            if tokens:
                phrases.add(tokens)
        self.phrases = frozenset(phrases)
        self._words = frozenset(word for phrase in phrases for word in phrase) | _PERSONAL_WHEN_OWNED | PERSON_WORDS
        self._max_len = max(len(p) for p in phrases)
        self._cache: dict[tuple[str, bool], bool] = {}

    def _norm(self, name: str, drop_accessor: bool = False) -> list[str]:
        tokens = [_singular(t, self._words) for t in tokens_of(name)]
        if drop_accessor and len(tokens) > 1 and tokens[0] in _ACCESSOR_VERBS:
            tokens = tokens[1:]
        return tokens

    def is_pii_name(self, name: str, *, owner_is_person: bool = False, accessor: bool = False) -> bool:
        """Whether a variable, attribute, key, keyword or parameter called `name` holds personal data.

        `owner_is_person`: the name is a field of a person-like object (`user.name`), which makes
        the ambiguous words (name, address, location, age) personal. `accessor`: the name is a
        function's (`get_email`), so a leading get/fetch/load is dropped.
        """
        key = (name, owner_is_person, accessor)
        cached = self._cache.get(key)  # type: ignore[arg-type]
        if cached is None:
            cached = self._match(self._norm(name, accessor), owner_is_person)
            self._cache[key] = cached  # type: ignore[index]
        return cached

    def _match(self, tokens: list[str], owner_is_person: bool) -> bool:
        if not tokens or any(t in EXCLUDE_WORDS for t in tokens):
            return False
        if tokens[0] in _FLAG_OR_COUNT_PREFIXES and len(tokens) > 1:
            return False
        n = len(tokens)
        for start in range(n):
            for length in range(min(self._max_len, n - start), 0, -1):
                phrase = tuple(tokens[start : start + length])
                end = start + length
                if phrase in self.phrases or (
                    length == 1
                    and phrase[0] in _PERSONAL_WHEN_OWNED
                    and (owner_is_person or any(t in PERSON_WORDS for t in tokens[:start]))
                ):
                    if all(t in _DATA_SUFFIXES for t in tokens[end:]):
                        return True
        return False

    def is_person_like(self, name: str) -> bool:
        """Whether an object called `name` is a person's record: `user`, `customer`, `user_data`,
        `current_user`, `patients` — not `user_id`, `user_message`, `user_input`, `client`."""
        tokens = self._norm(name)
        if not tokens or any(t in EXCLUDE_WORDS for t in tokens):
            return False
        last = tokens[-1]
        if last in PERSON_WORDS:
            return True
        return last in _PERSON_CONTAINER_HEADS and any(t in PERSON_WORDS for t in tokens[:-1])

    def is_metadata_name(self, name: str) -> bool:
        """An identifier, count, flag, type or timestamp (`user_id`, `usage`, `created_at`,
        `finish_reason`): derived from a value, it no longer carries the value."""
        tokens = tokens_of(name)
        if not tokens:
            return False
        if tokens[0] in ("is", "has", "num", "n") and len(tokens) > 1:
            return True
        return tokens[-1] in METADATA_WORDS or name in ("usage", "id")


#: the vocabulary without configuration
DEFAULT_PII = PiiVocabulary()
