"""Verdicts and their renderings (text, JSON); depends only on plain data."""
from .diagnostic import Diagnostic, Report, Status
from .render import render_json, render_text

__all__ = ["Diagnostic", "Report", "Status", "render_json", "render_text"]
