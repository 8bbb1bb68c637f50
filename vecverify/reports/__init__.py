"""Verdicts and their renderings (text, JSON, SARIF); depends only on plain data."""
from .diagnostic import Diagnostic, Report, Status
from .render import render_json, render_text
from .sarif import render_sarif

__all__ = ["Diagnostic", "Report", "Status", "render_json", "render_sarif", "render_text"]
