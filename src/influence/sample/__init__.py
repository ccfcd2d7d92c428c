"""The synthetic sample: a seeded Instagram scrape in gallery-dl's files, with planted structure.

A tool of its own (``influence sample``), not a loader: it writes files that
``influence load gallery-dl`` then reads like a real scrape. :mod:`.generator` builds the
accounts, follows and posts (its docstring lists everything planted), :mod:`.gallery_json`
renders them as gallery-dl's files, :mod:`.write` writes the scrape, :mod:`.truth` records what was planted in
``ground_truth.json``, :mod:`.model` holds parameters and the in-memory accounts and posts,
:mod:`.vocab` the word lists.
"""

from influence.sample.model import SampleParameters, SampleSummary
from influence.sample.write import generate_sample

__all__ = ["SampleParameters", "SampleSummary", "generate_sample"]
