"""Rendering: tables for the terminal, JSON/CSV for pipes, plots and the HTML report."""
