from wikiflow.names import fold_label, page_name, same_page


def test_underscore_and_space_are_the_same_page():
    assert same_page("Principle:Data_Formatting", "Principle:Data Formatting")
    assert page_name("Principle:Data_Formatting").key == "Principle:Data_Formatting"
    assert page_name("Principle:Data_Formatting").full == "Principle:Data Formatting"


def test_first_letter_of_title_and_namespace_upper_cased():
    name = page_name("principle:data_formatting")
    assert (name.namespace, name.title) == ("Principle", "Data formatting")


def test_runs_of_white_space_fold_and_ends_are_trimmed():
    assert page_name("  Heuristic:  Packing__short  sequences ").key == \
        "Heuristic:Packing_short_sequences"


def test_unknown_prefix_stays_in_main_namespace_title():
    name = page_name("Foo:Bar")
    assert (name.namespace, name.title) == ("", "Foo:Bar")


def test_default_namespace_applies_without_prefix():
    assert page_name("Quantization", "Principle").key == "Principle:Quantization"
    assert page_name("Heuristic:X", "Principle").namespace == "Heuristic"


def test_raw_spelling_is_kept_for_messages():
    assert page_name("principle:data_formatting").raw == "principle:data_formatting"


def test_illegal_characters_make_a_name_invalid():
    assert not page_name("Principle:A[b]").valid
    assert not page_name("Principle:").valid
    assert page_name("Principle:A (b)").valid


def test_image_alias_maps_to_file_namespace():
    assert page_name("Image:x.png").namespace == "File"


def test_fold_label_ignores_case_underscores_and_spacing():
    assert fold_label("Model_Quantization") == fold_label("model  quantization")
