"""The bundled, cited corpus of the four source papers, loaded through the ordinary importers."""

from paradiplomacy.corpus.bootstrap import CorpusError, initialise
from paradiplomacy.corpus.files import corpus_files, framework_file

__all__ = ["CorpusError", "corpus_files", "framework_file", "initialise"]
