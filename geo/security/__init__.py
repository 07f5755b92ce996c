"""What the app trusts and how it knows: the server's signing key, signed tokens in cookies
(browsers, participation devices), client addresses, and the planner sign-ins of this process.

Nothing here imports streamlit: the app server's middleware (`webui.server`), the pages and
a future HTTP endpoint call the same functions. Threats and counter-measures: docs/SECURITY.md.
"""
