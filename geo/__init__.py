"""The Smart-Region geodata library: a plain Python package that never imports streamlit.

Domains, each a package: `store` (layers, versions, trash, documents, participation,
logins), `imports` (files in, one write path), `maps` (display, styles, legends, payloads,
filters, search, details, permalinks, tours), `analysis` (indicators, coverage, classes),
`events`, `participation`, `i18n`. Beside them: `config`, `clock`, `errors`, `auth`,
`metadata` (layer metadata as planners edit it), `exports`, `audit`, `demo` and the CLI
(`__main__`).
"""
