"""Validation with the official artefacts, as a PEPPOL access point does it.

1. The UBL 2.1 schema (XSD), with lxml.
2. The compiled Schematron (XSLT 2.0), with saxonche: for an invoice or a credit note the EN 16931 rules and then
   the PEPPOL BIS Billing 3.0 rules (with the national rules, SE-R-* for Swedish sellers); for an order the PEPPOL
   Order (T01) rules.

The artefacts are data the portal does not ship: they are read from a directory (``PEPPOL_ARTIFACTS_DIR``) laid
out as the release in ``../shared/peppol`` (see its README). Compiling them takes about a second, so
``validator_for`` keeps one ``Validator`` per process and directory; validating a small invoice then takes a few
milliseconds. Every failed rule carries the official English text and a Swedish one (``rule_texts``).
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Final

from lxml import etree

from faportal.billing.peppol import messages, rule_texts, ubl

#: The PEPPOL release whose rules (and Swedish texts) this code is made for: BIS Billing 3.0.21, Order T01 3.7.
RELEASE: Final = "peppol-2026.5"

_SVRL: Final = "http://purl.oclc.org/dsdl/svrl"


class DocumentType(StrEnum):
    """The three documents the portal validates, by their UBL root element."""

    INVOICE = "Invoice"
    CREDIT_NOTE = "CreditNote"
    ORDER = "Order"


_ROOTS: Final = {
    f"{{{ubl.INVOICE}}}Invoice": DocumentType.INVOICE,
    f"{{{ubl.CREDIT_NOTE}}}CreditNote": DocumentType.CREDIT_NOTE,
    f"{{{ubl.ORDER}}}Order": DocumentType.ORDER,
}


class Severity(StrEnum):
    """A rule's flag: a fatal error refuses the document, a warning is shown but lets it through."""

    FATAL = "fatal"
    WARNING = "warning"


class Layer(StrEnum):
    """Which set of rules found the problem."""

    EN16931 = "en16931"
    PEPPOL = "peppol"
    ORDER = "order"


@dataclass(frozen=True, kw_only=True)
class FailedRule:
    """A Schematron rule the document fails: its id, flag, where, and what it says in English and Swedish."""

    rule_id: str
    flag: Severity
    #: The XPath the Schematron reports, e.g. /*:Invoice[namespace-uri()='…'][1]/*:TaxTotal[…][1].
    location: str
    #: The official English text, without the "[rule id]-" prefix.
    text: str
    text_sv: str
    layer: Layer

    @property
    def path(self) -> str:
        """The location without namespace tests, for people: /Invoice/TaxTotal[1]."""
        return short_path(self.location)


@dataclass(frozen=True, kw_only=True)
class SchemaError:
    """A problem before the rules can run: not XML, too large, not a UBL document, or against the UBL schema."""

    #: messages.Code.SCHEMA (against the UBL 2.1 schema), or why the document could not be checked at all
    #: (not-xml, too-large, doctype, unknown-document, rules-not-run).
    code: messages.Code
    message: str
    message_sv: str
    line: int | None = None
    path: str | None = None


@dataclass(frozen=True, kw_only=True)
class ValidationReport:
    """Valideringsresultat: the document's type (when it has one), its schema errors and its failed rules."""

    document_type: DocumentType | None
    schema_errors: tuple[SchemaError, ...]
    failed_rules: tuple[FailedRule, ...]

    @property
    def fatal(self) -> tuple[FailedRule, ...]:
        """The failed rules that refuse the document."""
        return tuple(rule for rule in self.failed_rules if rule.flag is Severity.FATAL)

    @property
    def warnings(self) -> tuple[FailedRule, ...]:
        """The failed rules that are only warnings."""
        return tuple(rule for rule in self.failed_rules if rule.flag is Severity.WARNING)

    @property
    def valid(self) -> bool:
        """Godkänd: no schema error and no fatal rule (warnings allowed)."""
        return not self.schema_errors and not self.fatal

    @property
    def rule_ids(self) -> tuple[str, ...]:
        """The ids of the failed rules, in the order found."""
        return tuple(rule.rule_id for rule in self.failed_rules)


class ArtifactsMissing(FileNotFoundError):
    """The artefact directory lacks files the validator needs."""


@dataclass(frozen=True)
class Artifacts:
    """Where the official files are, inside a directory laid out as ``../shared/peppol``."""

    root: Path

    @property
    def invoice_xsd(self) -> Path:
        return self.root / "ubl-2.1" / "xsdrt" / "maindoc" / "UBL-Invoice-2.1.xsd"

    @property
    def credit_note_xsd(self) -> Path:
        return self.root / "ubl-2.1" / "xsdrt" / "maindoc" / "UBL-CreditNote-2.1.xsd"

    @property
    def order_xsd(self) -> Path:
        return self.root / "ubl-2.1" / "xsdrt" / "maindoc" / "UBL-Order-2.1.xsd"

    @property
    def en16931_xslt(self) -> Path:
        return self.root / RELEASE / "xslt" / "CEN-EN16931-UBL.xslt"

    @property
    def peppol_xslt(self) -> Path:
        return self.root / RELEASE / "xslt" / "PEPPOL-EN16931-UBL.xslt"

    @property
    def order_xslt(self) -> Path:
        return self.root / RELEASE / "xslt" / "PEPPOLBIS-T01.xslt"

    @property
    def files(self) -> tuple[Path, ...]:
        """Every file the validator reads."""
        return (
            self.invoice_xsd,
            self.credit_note_xsd,
            self.order_xsd,
            self.en16931_xslt,
            self.peppol_xslt,
            self.order_xslt,
        )

    def check(self) -> None:
        """Raise ``ArtifactsMissing`` naming every file that is not there."""
        missing = [str(path) for path in self.files if not path.is_file()]
        if missing:
            raise ArtifactsMissing("PEPPOL artefacts missing: " + ", ".join(missing))


def _load_schema(path: Path) -> etree.XMLSchema:
    # The XSD imports its modules by relative path; nothing is fetched from the network.
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.XMLSchema(etree.parse(str(path), parser))


class Validator:
    """The compiled schemas and Schematron of one artefact directory; create it through ``validator_for``."""

    def __init__(self, artifacts: Artifacts) -> None:
        from saxonche import PySaxonProcessor

        artifacts.check()
        self.artifacts = artifacts
        self._schemas = {
            DocumentType.INVOICE: _load_schema(artifacts.invoice_xsd),
            DocumentType.CREDIT_NOTE: _load_schema(artifacts.credit_note_xsd),
            DocumentType.ORDER: _load_schema(artifacts.order_xsd),
        }
        self._processor = PySaxonProcessor(license=False)
        compiler = self._processor.new_xslt30_processor()
        en16931 = compiler.compile_stylesheet(stylesheet_file=str(artifacts.en16931_xslt))
        peppol = compiler.compile_stylesheet(stylesheet_file=str(artifacts.peppol_xslt))
        order = compiler.compile_stylesheet(stylesheet_file=str(artifacts.order_xslt))
        billing = ((Layer.EN16931, en16931), (Layer.PEPPOL, peppol))
        self._rules = {
            DocumentType.INVOICE: billing,
            DocumentType.CREDIT_NOTE: billing,
            DocumentType.ORDER: ((Layer.ORDER, order),),
        }
        # SaxonC is one native processor: calls from several threads are serialised (threads gave no speed-up).
        self._lock = threading.Lock()

    def validate(self, data: bytes, *, max_bytes: int = ubl.MAX_DOCUMENT_BYTES) -> ValidationReport:
        """Validera: the schema, then the rules for the document's type; never raises for bad input."""
        try:
            root = ubl.parse_untrusted(data, max_bytes=max_bytes)
        except ubl.UnreadableXml as exc:
            return _refused(None, exc.code, exc.detail)
        document_type = _ROOTS.get(root.tag)
        if document_type is None:
            return _refused(None, "unknown-document", str(root.tag))
        schema = self._schemas[document_type]
        schema_errors = () if schema.validate(root) else tuple(_schema_error(entry) for entry in schema.error_log)
        # Saxon gets lxml's serialisation of the parsed tree: no DOCTYPE, no entity, nothing to fetch.
        text = etree.tostring(root, encoding="unicode")
        from saxonche import PySaxonApiError

        try:
            failed = self._run_rules(document_type, text)
        except PySaxonApiError as exc:
            return _refused(document_type, "rules-not-run", str(exc))
        return ValidationReport(document_type=document_type, schema_errors=schema_errors, failed_rules=failed)

    def _run_rules(self, document_type: DocumentType, text: str) -> tuple[FailedRule, ...]:
        with self._lock:
            node = self._processor.parse_xml(xml_text=text)
            outputs = [
                (layer, executable.transform_to_string(xdm_node=node))
                for layer, executable in self._rules[document_type]
            ]
        found: list[FailedRule] = []
        for layer, svrl in outputs:
            found.extend(_failed_rules(layer, svrl))
        return tuple(found)


def _refused(document_type: DocumentType | None, code: str, detail: str) -> ValidationReport:
    known = messages.Code(code)
    message_sv, message_en = messages.DOCUMENT_PROBLEMS[known]
    return ValidationReport(
        document_type=document_type,
        schema_errors=(SchemaError(code=known, message=f"{message_en} {detail}".strip(), message_sv=message_sv),),
        failed_rules=(),
    )


_RULE_PREFIX = re.compile(r"^\s*\[[^\]]+\]\s*-\s*")


def _failed_rules(layer: Layer, svrl: str) -> list[FailedRule]:
    # The SVRL comes from the official XSLT run by us, not from outside: an ordinary parse is safe.
    report = etree.fromstring(svrl.encode("utf-8"))
    found = []
    for element in report.iter(f"{{{_SVRL}}}failed-assert", f"{{{_SVRL}}}successful-report"):
        rule_id = element.get("id") or "?"
        text_element = element.find(f"{{{_SVRL}}}text")
        text = " ".join("".join(text_element.itertext()).split()) if text_element is not None else ""
        text = _RULE_PREFIX.sub("", text)
        flag = Severity.WARNING if element.get("flag") == "warning" else Severity.FATAL
        found.append(
            FailedRule(
                rule_id=rule_id,
                flag=flag,
                location=element.get("location") or "",
                text=text,
                text_sv=rule_texts.swedish(rule_id, text),
                layer=layer,
            )
        )
    return found


_NAMESPACE_TEST = re.compile(r"\[namespace-uri\(\)='[^']*'\]")


def short_path(location: str) -> str:
    """An SVRL location without its namespace tests and wildcards: /Invoice/TaxTotal[1]."""
    path = _NAMESPACE_TEST.sub("", location).replace("*:", "")
    return re.sub(r"^(/[A-Za-z]+)\[1\]", r"\1", path)


def _schema_error(entry: etree._LogEntry) -> SchemaError:
    message_en = messages.short_names(entry.message)
    return SchemaError(
        code=messages.Code.SCHEMA,
        message=message_en,
        message_sv=messages.schema_error_sv(entry.type_name, message_en),
        line=entry.line or None,
        path=entry.path or None,
    )


_validators: dict[tuple[int, Path], Validator] = {}
_validators_lock = threading.Lock()


def validator_for(directory: str | os.PathLike[str]) -> Validator:
    """The process's validator for an artefact directory, compiled on first use and then reused."""
    # Keyed on the process id as well: a worker forked from a process that had compiled one compiles its own.
    key = (os.getpid(), Path(directory).resolve())
    with _validators_lock:
        validator = _validators.get(key)
        if validator is None:
            validator = _validators[key] = Validator(Artifacts(key[1]))
        return validator
