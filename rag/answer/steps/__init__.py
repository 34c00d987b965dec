"""The answer pipeline's steps, each a small unit taking the question's `Turn` (rag/answer/turn.py); their
order is in rag/answer/pipeline.py."""
