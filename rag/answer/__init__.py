"""Answers: the retrieved measures turned into a cited reply."""
