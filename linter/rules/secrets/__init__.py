"""AIL1: secrets in source code."""

from linter.knowledge.credentials import may_be_credential_literal, may_use_credential
from linter.rules.base import LiteralTrigger

#: AIL101 (context-only formats) and AIL102 read only credential uses, whose names all
#: contain a credential word, and report only literals `may_be_credential_literal` passes
CREDENTIAL_LITERAL_TRIGGER = LiteralTrigger(may_use_credential, may_be_credential_literal)
