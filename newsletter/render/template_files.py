"""The site's template files: read only as regular files inside the site, in UTF-8, and
rendered with errors that name the file and line (templates/email.html, email.txt, email.css)."""

from __future__ import annotations

import functools
import re
import traceback
from pathlib import Path

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from newsletter.errors import TemplateError
from newsletter.scaffold import link_to_nothing
from newsletter.render.text import columns, underlined

HTML_TEMPLATE = "email.html"
TEXT_TEMPLATE = "email.txt"
STYLESHEET = "email.css"
MAX_STYLESHEET_BYTES = 2**20  # far past any email's: Gmail clips the whole message near 102 KB
_JINJA = re.compile(r"\{([%{#]).*?[%}#]\}", re.DOTALL)
_CLASS_ATTRIBUTE = re.compile(r"\bclass\s*=\s*([\"'])(.*?)\1", re.DOTALL)


def read_stylesheet(templates_dir: Path) -> str:
    """The stylesheet's text. Like Jinja2's loader for the templates, only a regular file: a
    FIFO would wait for a writer forever, a link to /dev/zero fill the memory."""
    path = templates_dir / STYLESHEET
    try:
        if not path.is_file():
            raise FileNotFoundError(path)
        _refuse_linked_outside(templates_dir, path)
        if (size := path.stat().st_size) > MAX_STYLESHEET_BYTES:
            raise TemplateError(f"the stylesheet is {size / 2**20:.1f} MB; over 1 MB is refused",
                                where=f"templates/{STYLESHEET}",
                                hint="every email carries its rules: keep the ones it uses")
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise not_found(templates_dir, STYLESHEET) from None
    except UnicodeDecodeError as error:
        raise _not_utf8(error, templates_dir / STYLESHEET) from None


def not_found(templates_dir: Path, name: str) -> TemplateError:
    """The error for a template that is not there. A templates folder that is a link to
    nothing says so: init cannot write through it, so "run init" alone would not help."""
    target = link_to_nothing(templates_dir)
    if target is not None:
        return TemplateError(f"the folder is a link to {target}, which does not exist",
                             where="templates", hint="remove the link, then run `newsletter "
                             "init` to write the templates there")
    return TemplateError("template file not found", where=f"templates/{name}",
                         hint="run `newsletter init` to restore it")


def _refuse_linked_outside(templates_dir: Path, path: Path) -> None:
    """A template that is a link to a file outside the site folder is refused, as a post or an
    image is: a pull request's templates/email.txt linked to ~/.ssh/id_rsa would mail it to
    every reader. A templates folder that is itself a link is the site's."""
    real = path.resolve()
    if not any(real.is_relative_to(folder.resolve())
               for folder in (templates_dir, templates_dir.parent)):
        raise TemplateError("the template is a link to a file outside the site folder",
                            where=f"templates/{path.name}",
                            hint="copy the file into templates/ instead of linking to it")


class SiteTemplates(jinja2.FileSystemLoader):
    """Jinja2's loader of the templates folder, for templates of the site only."""

    def get_source(self, environment: jinja2.Environment, template: str):
        source, filename, uptodate = super().get_source(environment, template)
        _refuse_linked_outside(Path(self.searchpath[0]), Path(filename))
        return source, filename, uptodate


# Compiling the templates costs more than rendering them; the loader checks the files' mtimes
# on every use, so edits (preview --serve) are still picked up.
@functools.lru_cache(maxsize=8)
def template_environment(templates_dir: Path) -> jinja2.Environment:
    """The site's templates, sandboxed: a pull request may change them, and `check` runs on
    it (in CI, in the pre-commit hook), so a template reaching Python's internals
    (``cycler.__init__.__globals__.os``) would run commands there. A template shows values;
    it never needs more."""
    environment = SandboxedEnvironment(
        loader=SiteTemplates(templates_dir),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default_for_string=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["underlined"] = underlined  # the text part's title, wrapped
    environment.filters["columns"] = columns  # its underline in templates written before that
    return environment


def layout_classes(environment: jinja2.Environment) -> frozenset[str]:
    """The class names the HTML template gives the email's own layout (``title``,
    ``container``, ``footer``...): email.css styles them, so a post's element must not carry
    one."""
    try:
        source = environment.loader.get_source(environment, HTML_TEMPLATE)[0]
    except (jinja2.TemplateNotFound, UnicodeDecodeError):
        return frozenset()  # rendering the template names the file and what is wrong
    plain = _JINJA.sub(" ", source)
    return frozenset(name for _, value in _CLASS_ATTRIBUTE.findall(plain) for name in value.split())


def render_template(environment: jinja2.Environment, name: str, context: dict) -> str:
    where = f"templates/{name}"
    try:
        return environment.get_template(name).render(context)
    except jinja2.TemplateNotFound as error:
        raise not_found(Path(environment.loader.searchpath[0]), error.name) from None
    except jinja2.TemplateSyntaxError as error:
        raise TemplateError(error.message or "syntax error",
                            where=f"templates/{error.name or name}:{error.lineno}") from None
    except UnicodeDecodeError as error:  # the template, or one it includes
        raise _not_utf8(error, _file_holding(error.object, environment, name)) from None
    except SecurityError as error:  # the sandbox's: never a template's honest mistake
        raise TemplateError(str(error).rstrip("."), where=_template_line(error, environment, where),
                            hint="a template shows the values newsletter gives it "
                            "(docs/rendering.md): remove what reaches past them") from None
    # A template can fail while it runs, too (an unknown variable, a bad filter argument).
    except (jinja2.TemplateError, TypeError, ValueError, ArithmeticError) as error:
        raise TemplateError(str(error), where=_template_line(error, environment, where)) from None


def _not_utf8(error: UnicodeDecodeError, path: Path) -> TemplateError:
    """The one line for a template file that is not UTF-8: its line, and the byte."""
    line = error.object.count(b"\n", 0, error.start) + 1
    return TemplateError(f"not UTF-8 text (byte 0x{error.object[error.start]:02x})",
                         where=f"templates/{path.name}:{line}", hint="save the file as UTF-8")


def _file_holding(data: bytes, environment: jinja2.Environment, name: str) -> Path:
    """The template file whose bytes are ``data`` (``name`` when none is)."""
    folders = [Path(folder) for folder in environment.loader.searchpath]
    files = [folders[0] / name, *(path for folder in folders for path in sorted(folder.iterdir()))]
    return next((path for path in files if path.is_file() and path.read_bytes() == data), files[0])


def _template_line(error: BaseException, environment: jinja2.Environment, where: str) -> str:
    """``templates/<file>:<line>`` of the innermost template frame in the error's traceback."""
    search_path = [Path(path) for path in environment.loader.searchpath]
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        path = Path(frame.filename)
        if any(path.parent == folder for folder in search_path):
            return f"templates/{path.name}:{frame.lineno}"
    return where
