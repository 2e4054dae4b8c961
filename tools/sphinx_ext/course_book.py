"""Small Sphinx fixes for the course book, loaded through _config.yml (local_extensions).

sphinx-thebe 0.3 registers its configuration script once per read phase, and Jupyter
Book reads twice, so every page declared `const THEBE_JS_URL` twice and the browser
logged a SyntaxError. Identical script entries are dropped here, keeping the first.
"""

from __future__ import annotations


def _drop_duplicate_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for script in scripts:
        # The same inline script is registered once with filename None and once with "".
        filename = getattr(script, "filename", script) or ""
        key = (str(filename), tuple(sorted(getattr(script, "attributes", {}).items())))
        if key in seen:
            continue
        seen.add(key)
        unique.append(script)
    scripts[:] = unique


def setup(app):
    app.connect("html-page-context", _drop_duplicate_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
