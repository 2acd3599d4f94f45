"""Reading catalog YAML safely, and as people write it.

The safe loader, with two changes:
- anchors and aliases (``&name``, ``*name``, ``<<: *name``) are refused at the first one, before
  anything is built: a catalog needs none, and a few kilobytes of nested aliases expand to
  millions of elements (a "billion laughs" document);
- ``12:00`` stays the text "12:00". YAML 1.1 reads it as the base-60 number 720, so an unquoted
  ``close: 17:00`` arrived as 1020 and was refused as "not text"; numbers are read as YAML 1.2
  reads them (no base 60).
"""

from __future__ import annotations

import re

import yaml

INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
_INT_12 = re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$")
_FLOAT_12 = re.compile(r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?"
                       r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")


class AliasRefused(yaml.composer.ComposerError):
    """An anchor or alias met in a catalog."""


class CatalogLoader(yaml.SafeLoader):
    """The safe loader without anchors and aliases, and without base-60 numbers (see the module)."""

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise AliasRefused(
                None, None, "anchors and aliases (&name, *name) are not allowed in a catalog; "
                "write each value out in full", event.start_mark)
        return super().compose_node(parent, index)


CatalogLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (INT, FLOAT)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
CatalogLoader.add_implicit_resolver(INT, _INT_12, list("-+0123456789"))
CatalogLoader.add_implicit_resolver(FLOAT, _FLOAT_12, list("-+0123456789."))


def compose(text: str) -> yaml.Node | None:
    """The document's node tree, each node with its line (for saying where a mistake is)."""
    return yaml.compose(text, Loader=CatalogLoader)


def construct(node: yaml.Node | None) -> object:
    """The plain data (dicts, lists, text, numbers) of a composed document."""
    if node is None:
        return None
    loader = CatalogLoader("")
    try:
        return loader.construct_document(node)
    finally:
        loader.dispose()
