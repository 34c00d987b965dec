"""Regression evaluation: load a QA set, run it through the system, score, aggregate, compare, report."""
