"""A library's English in the reader's language: the error texts of the parsers an import goes through
(Python's `json`, ijson's yajl, expat's XML, pydantic's validation of FHIR resources, `float()`,
the operating system's reason a file cannot be read), given
as the `detail` of a coded error ("invalid JSON: %(detail)s").

These libraries speak English only and say a closed set of things; each shape below is one message of
the catalogue, its variable parts (a character, a value, a line) kept as parameters. A text of another
shape keeps the library's words (nothing is guessed), and `tests/test_i18n_import_words.py` renders the
importers' refusals of broken files in French to find the shapes still missing."""

from __future__ import annotations

import re

from oncofed.errors import N_
from oncofed.presenters.i18n import Translator

# parameter names whose value may be a library's English text (presenters/errors.py says them here)
LIBRARY_WORDS = frozenset({"detail", "problem"})  # "problem": PyYAML's, said by YAML_SHAPES

_EXPAT = (
    r"(?P<what>no element found|unclosed token|not well-formed \(invalid token\)|mismatched tag|"
    r"junk after document element|syntax error|undefined entity|unbound prefix|duplicate attribute|"
    r"XML or text declaration not at start of entity)(?:: line (?P<line>\d+), column (?P<column>\d+))?"
)
EXPAT_WORDS = {
    "no element found": N_("the XML ends before its first element closes"),
    "unclosed token": N_("an XML tag is not closed"),
    "not well-formed (invalid token)": N_("XML that is not well-formed (a character it does not allow)"),
    "mismatched tag": N_("an XML closing tag does not match its opening tag"),
    "junk after document element": N_("there is more data after the end of the XML"),
    "syntax error": N_("an XML syntax error"),
    "undefined entity": N_("an XML entity that is not defined"),
    "unbound prefix": N_("an XML prefix without its namespace"),
    "duplicate attribute": N_("an XML attribute given twice"),
    "XML or text declaration not at start of entity": N_(
        "the XML declaration is not at the start of the file"
    ),
}
TYPE_WORDS = {
    "string": N_("a text"),
    "integer": N_("a whole number"),
    "number": N_("a number"),
    "boolean": N_("true or false"),
    "date": N_("a date"),
    "datetime": N_("a date and time"),
    "dictionary": N_("an object"),
    "list": N_("a list"),
    "array": N_("a list"),
}

# (shape, message): the shape's named groups are the message's parameters
SHAPES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p, re.DOTALL), m)
    for p, m in (
        # Python's json module (JSONDecodeError.msg)
        (r"Expecting value", N_("a value was expected")),
        (r"Expecting '(?P<char>.)' delimiter", N_("a “%(char)s” was expected")),
        (r"Expecting property name enclosed in double quotes", N_("a property name in double quotes was expected")),
        (r"Unterminated string starting at", N_("a text is not closed by its double quote")),
        (r"Invalid control character (?:at|in string)", N_("a control character inside a text")),
        (r"Invalid \\(?:escape|uXXXX escape).*", N_("an invalid escape sequence (a backslash)")),
        (r"Extra data", N_("there is more data after the end of the JSON")),
        (r"Illegal trailing comma before end of (?:object|array)", N_("a comma before the end of an object or a list")),
        # ijson (yajl, or its Python back end)
        (r"lexical error: invalid char in json text.*", N_("a character that JSON does not allow")),
        (r"lexical error: invalid string in json text.*", N_("a text that JSON does not allow")),
        (r"lexical error: invalid bytes in UTF8 string.*", N_("bytes that are not UTF-8")),
        (r"lexical error: malformed number.*", N_("a malformed number")),
        (r"(?:parse error: premature EOF|Incomplete JSON (?:content|data)).*", N_("the file ends before the JSON does")),
        (r"(?:parse error: trailing garbage|Additional data found).*", N_("there is more data after the end of the JSON")),
        (r"(?:parse error|lexical error|Unexpected symbol|Incomplete string lexeme).*", N_("a JSON syntax error")),
        # pydantic (FHIR resources)
        (r"Input should be a valid (?P<type>string|integer|number|boolean|date|datetime|dictionary|list|array)\b.*",
         N_("the value is not %(type)s")),
        (r"Field required", N_("the field is required")),
        (r"Extra inputs are not permitted", N_("this field is not allowed here")),
        # the operating system's (OSError.strerror: a file that cannot be read)
        (r"No such file or directory", N_("no such file or folder")),
        (r"Permission denied", N_("permission denied")),
        (r"Is a directory", N_("it is a folder, not a file")),
        (r"Not a directory", N_("a part of the path is not a folder")),
        (r"File name too long", N_("the file name is too long")),
        # float() and int()
        (r"could not convert string to float: (?P<value>.+)", N_("%(value)s is not a number")),
        (r"invalid literal for int\(\) with base \d+: (?P<value>.+)", N_("%(value)s is not a whole number")),
    )
]  # fmt: skip


# PyYAML's problem (a YAML error's `problem` parameter; the place is given apart)
YAML_SHAPES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p, re.DOTALL), m)
    for p, m in (
        (r"mapping values are not allowed here", N_("a colon where a value was expected (a value holding ': ' needs quotes)")),
        (r"found character '\\t' that cannot start any token", N_("a tab: YAML indents with spaces")),
        (r"found unexpected end of stream|expected the node content, but found '<stream end>'",
         N_("the file ends before the YAML does")),
        (r"(?:expected|could not find expected|did not find expected|found) .*", N_("a YAML syntax error")),
    )
]  # fmt: skip


def library_said(tr: Translator, text: str, name: str = "detail") -> str:
    """`text` (a library's English, the parameter `name`) in `tr`'s language when it has one of the known
    shapes, else as is."""
    text = text.strip()
    expat = re.fullmatch(_EXPAT, text)
    if expat:
        message = EXPAT_WORDS[expat.group(1)]
        what = tr.gettext(message)
        line, column = expat.group(2), expat.group(3)
        if line:
            return tr.gettext(
                "%(what)s (line %(line)s, column %(column)s)", what=what, line=line, column=column
            )
        return what
    for shape, message in YAML_SHAPES if name == "problem" else SHAPES:
        found = shape.fullmatch(text)
        if found:
            params = found.groupdict()
            if params.get("type"):
                kind = TYPE_WORDS[params.pop("type") or ""]
                params["type"] = tr.gettext(kind)
            return tr.gettext(message, **params) if params else tr.gettext(message)
    return text


__all__ = ["LIBRARY_WORDS", "library_said"]
