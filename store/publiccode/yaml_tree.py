"""Reading YAML safely: core schema, positions kept, aliases expanded under a budget.

Nothing is constructed from tags: the composed node graph is copied into plain `Node`s, counting
nodes and depth so that alias bombs and deep nesting stop early.
Positions (`position`, `key_at_line`) follow the reference's way of pointing at keys."""

import re
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.nodes import ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

MAX_NODES = 100_000
MAX_DEPTH = 64


class _CoreResolver(BaseResolver):
    """YAML 1.2 core schema: only true/false are booleans, no sexagesimals, no merge keys."""


_CoreResolver.yaml_implicit_resolvers = {}
for _tag, _regexp, _first in (
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
):
    _CoreResolver.add_implicit_resolver(_tag, re.compile(_regexp), list(_first))


class _SafeComposer(Reader, Scanner, Parser, Composer, _CoreResolver):
    """PyYAML's pure composer: node graph with marks; aliases stay shared nodes."""

    def __init__(self, stream):
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        _CoreResolver.__init__(self)


@dataclass
class Node:
    kind: str  # "map", "seq", "scalar"
    tag: str
    value: Any  # text, list of Node, or list of (key Node, value Node)
    line: int
    column: int
    flow: bool = False


class _TooLarge(Exception):
    pass


def convert(node, depth=0, budget=None):
    """Expand the composed graph into our tree, counting nodes so alias bombs stop early."""
    if budget is None:
        budget = [MAX_NODES]
    budget[0] -= 1
    if budget[0] < 0:
        raise _TooLarge("too many YAML nodes after alias expansion (limit %d)" % MAX_NODES)
    if depth > MAX_DEPTH:
        raise _TooLarge("YAML nesting deeper than %d levels" % MAX_DEPTH)
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    if isinstance(node, ScalarNode):
        return Node("scalar", node.tag, node.value, line, column)
    if isinstance(node, SequenceNode):
        items = [convert(item, depth + 1, budget) for item in node.value]
        return Node("seq", node.tag, items, line, column, bool(node.flow_style))
    pairs = [
        (convert(k, depth + 1, budget), convert(v, depth + 1, budget)) for k, v in node.value
    ]
    return Node("map", node.tag, pairs, line, column, bool(node.flow_style))


def compose(text: str):
    """Return (root node or None, error dict or None)."""
    loader = _SafeComposer(text)
    try:
        documents = []
        while loader.check_node():
            documents.append(loader.get_node())
            if len(documents) > 1:
                return None, error("", "multiple YAML documents in one file are not supported")
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        description = exc.problem or str(exc)
        return None, error("", description, line, 1 if line else 0)
    except yaml.YAMLError as exc:
        return None, error("", str(exc))
    except RecursionError:
        return None, error("", "YAML nesting too deep")
    finally:
        loader.dispose()
    if not documents:
        return None, None
    try:
        return convert(documents[0]), None
    except _TooLarge as exc:
        return None, error("", str(exc))
    except RecursionError:
        return None, error("", "YAML nesting too deep")


def error(key, description, line=0, column=0):
    return {"key": key, "description": description, "line": line, "column": column}


def key_at_line(node, line, prefix):
    """The dotted key whose key (or sequence entry) starts on line, as the reference names it."""
    if node.kind == "map":
        for key, value in node.value:
            full = key.value if not prefix else "%s.%s" % (prefix, key.value)
            if key.line == line:
                return full
            found = key_at_line(value, line, full)
            if found:
                return found
    elif node.kind == "seq":
        for index, entry in enumerate(node.value):
            seq_key = "%s[%d]" % (prefix, index)
            if entry.line == line:
                return seq_key
            found = key_at_line(entry, line, seq_key)
            if found:
                return found
    return ""


def _split_part(part):
    match = re.match(r"^(.*)\[([^\]]+)\]$", part)
    if not match:
        return part, None, None
    base, inner = match.groups()
    if inner.isdigit():
        return base, int(inner), None
    return base, None, inner


def position(node, key):
    """Line and column of a key in the document, with the reference's fallbacks."""
    if node is None or not key:
        return 0, 0
    return _find_pos(node, key.split("."))


def _find_pos(node, parts):
    if node is None or not parts:
        return 0, 0
    base, index, string_key = _split_part(parts[0])
    if node.kind == "map":
        for key, value in node.value:
            if key.value != base:
                continue
            if index is not None:
                if value.kind != "seq" or index >= len(value.value):
                    return key.line, key.column
                element = value.value[index]
                if len(parts) == 1:
                    return element.line, element.column
                return _find_pos(element, parts[1:])
            if string_key is not None:
                return _find_pos(value, [string_key, *parts[1:]])
            if len(parts) == 1:
                return key.line, key.column
            return _find_pos(value, parts[1:])
        if node.flow:
            return node.line, node.column
        if len(parts) == 1 and node.value:
            return node.value[0][0].line, node.value[0][0].column
        return 0, 0
    return node.line, node.column
