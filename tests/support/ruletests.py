"""The head of a rule-tests document against a small rulebook's facts, for tests that
write their own cases (``RULE_TESTS_HEADER.format(rulebook=path) + cases``)."""

from __future__ import annotations

__all__ = ["RULE_TESTS_HEADER"]

RULE_TESTS_HEADER = """wzeval: ruletests/1
rulebook: {rulebook}
defaults:
  department: 甲局
  monitoring_date: 2023-11-15
  indicators:
    subject: {{standard: true, noise_free: true, fake: false}}
    filler: {{ok: true}}
cases:
"""
