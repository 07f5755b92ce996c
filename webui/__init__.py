"""Streamlit glue shared by `dashboard.py` and the pages: state, caching, language."""
