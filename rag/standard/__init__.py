"""Standard answers (标准答复): answers window staff curate for the questions they hear every day. A later
question close enough in meaning to a saved one is answered with it; its citations' units come from the
corpus, never from the saved text."""

from rag.standard.model import CitedMeasure, Revision, StandardAnswer
from rag.standard.store import StandardStore, open_store

__all__ = ["CitedMeasure", "Revision", "StandardAnswer", "StandardStore", "open_store"]
