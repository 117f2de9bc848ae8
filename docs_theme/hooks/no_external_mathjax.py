"""Keep notebook pages free of MathJax, which mkdocs-jupyter loads from a CDN.

mkdocs-jupyter adds a loader to every notebook page that fetches MathJax from
cdn.jsdelivr.net, whether or not the page has any math. The lessons have none, and the
site must work without a network (a workshop room, CI): offline, the loader fails and
fills the browser console with errors. This hook removes it. A lesson that needs math one
day should ship MathJax with the site and point the plugin's `custom_mathjax_url` at it;
the browser test (tests/docs/) fails on any request that leaves the local server.
"""

import re

MATHJAX_LOADER = re.compile(r'<script data-mkdocs-jupyter-mathjax="[^"]*">.*?</script>\s*', re.S)


def on_post_page(output, page, config):
    return MATHJAX_LOADER.sub("", output)
