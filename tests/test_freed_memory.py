"""What a worker lets go of between tasks: the caches that grow with the words it read."""

from synthesis.freed_memory import release_freed_memory
from synthesis.language import lexical_language
from synthesis.nynorsk import bokmal_lemma
from synthesis.text import shared_lemmatizer


def test_word_caches_are_emptied_between_tasks_but_not_within_one():
    lemmatizer = shared_lemmatizer()
    lemmatizer.lemma("tenestene", "nn")
    lexical_language("tenestene")
    bokmal_lemma("teneste")
    release_freed_memory()  # within a task: the caches stay
    assert shared_lemmatizer() is lemmatizer
    assert lexical_language.cache_info().currsize > 0
    release_freed_memory(between_tasks=True)
    assert shared_lemmatizer() is not lemmatizer
    assert lexical_language.cache_info().currsize == 0
    assert bokmal_lemma.cache_info().currsize == 0
    assert shared_lemmatizer().lemma("tenestene", "nn") == lemmatizer.lemma("tenestene", "nn")
