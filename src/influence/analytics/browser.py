"""Saved queries for Neo4j Browser: a Browser guide and a favourites bundle.

The queries live in ``influence/cypher/browser/*.cypher``; each starts with ``//`` lines: a
title, and an example ``:param name => value`` for every parameter it needs. Two ways in:

- a **Browser guide** (:func:`guide_html`): slides with clickable ``:param`` lines and queries.
  Browser loads guides with ``:play <url>`` from allow-listed hosts (``localhost`` is on the
  default list), so serve the file locally — :func:`serve` does it with the CORS header Browser
  needs — and run ``:play http://localhost:<port>/<file>``;
- **favourites** (:func:`write_favorites`): a zip of the ``.cypher`` files that Browser's
  *Favorites → Import* accepts.
"""

from __future__ import annotations

import html
import re
import zipfile
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from influence import cypher

_PARAM = re.compile(r":param\s+(\w+)\s*=>\s*(.+?)\s*$")


@dataclass(frozen=True)
class SavedQuery:
    """One saved query: file name, title, example ``:param`` lines, full text (with comments)."""

    name: str
    title: str
    params: tuple[str, ...]
    text: str

    @property
    def comment(self) -> str:
        """The header comment without the leading ``//``, one line per line."""
        lines = []
        for line in self.text.splitlines():
            if not line.startswith("//"):
                break
            lines.append(line[2:].strip())
        return "\n".join(lines[1:])

    @property
    def body(self) -> str:
        """The statement without its header comment."""
        return "\n".join(line for line in self.text.splitlines() if not line.startswith("//")).strip()


def saved_queries() -> list[SavedQuery]:
    """Every saved Browser query shipped with the package, in file order."""
    out = []
    for name in cypher.names("browser"):
        text = cypher.load(name)
        header = [line[2:].strip() for line in text.splitlines() if line.startswith("//")]
        title = header[0].split(":", 1)[0] if header else name
        params = []
        for line in header:
            m = _PARAM.search(line)
            if m:
                params.append(f":param {m.group(1)} => {m.group(2)}")
        out.append(SavedQuery(name.split("/", 1)[1], title, tuple(params), text))
    return out


def guide_html(queries: list[SavedQuery] | None = None) -> str:
    """A Neo4j Browser guide (``:play`` format): one slide per saved query."""
    slides = [
        '<slide class="row-fluid"><div class="col-sm-12"><h3>Influence Graph: saved queries</h3>'
        "<p>Click a grey block to put it in the editor, then run it. Set the parameters first "
        "(the <code>:param</code> blocks), changing the example values. Run "
        "<code>influence analyze</code> before, so the scores exist.</p></div></slide>"
    ]
    for q in queries if queries is not None else saved_queries():
        params = "".join(
            f'<pre class="pre-scrollable code runnable">{html.escape(p)}</pre>' for p in q.params
        )
        slides.append(
            '<slide class="row-fluid"><div class="col-sm-12">'
            f"<h3>{html.escape(q.title)}</h3><p>{html.escape(q.comment).replace(chr(10), '<br>')}</p>"
            f'{params}<pre class="pre-scrollable code runnable">{html.escape(q.body)}</pre>'
            "</div></slide>"
        )
    return (
        '<article class="guide">\n<carousel class="deck container-fluid">\n'
        + "\n".join(slides)
        + "\n</carousel>\n</article>\n"
    )


def write_guide(path: Path) -> Path:
    """Write the guide to ``path``; return it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(guide_html(), encoding="utf-8")
    return path


def write_favorites(path: Path) -> Path:
    """Write a zip of the saved queries (``<name>.cypher``) for Browser's *Favorites → Import*."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for q in saved_queries():
            z.writestr(f"{q.name}.cypher", q.text)
    return path


class _CorsHandler(SimpleHTTPRequestHandler):
    """Static files with ``Access-Control-Allow-Origin: *`` (Browser fetches guides cross-origin)."""

    def end_headers(self) -> None:
        self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
        pass


def serve(directory: Path, port: int = 8001, host: str = "127.0.0.1") -> ThreadingHTTPServer:
    """An HTTP server for ``directory`` with CORS, bound but not yet serving (call serve_forever)."""
    return ThreadingHTTPServer((host, port), partial(_CorsHandler, directory=str(directory)))
