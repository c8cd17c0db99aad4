"""The quarterly report: rendered from a parameterised notebook into one HTML file.

Where to look: `render` (one quarter: papermill, nbconvert, atomic writes),
`parallel` and `worker` (`report --all` on every core), `run` (executing the
notebook and exporting it), `paths` (where reports live, and the lock),
`index` (`index.html`), `context` and `sections` (what each part of the report
says), `headings` (section names and the rules in words), `html` (escaped
tables and badges), `charts` (matplotlib as SVG), `templates` (the page).
"""
