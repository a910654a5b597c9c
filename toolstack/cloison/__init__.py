# SPDX-License-Identifier: MIT
"""Cloison toolstack: system description -> compiled policy -> boot image."""
