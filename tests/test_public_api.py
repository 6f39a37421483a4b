import assistant


def test_public_api_is_pinned() -> None:
    assert sorted(assistant.__all__) == [
        "Answer",
        "Assistant",
        "Citation",
        "EmptyStoreError",
        "NewsdeskError",
        "Passage",
        "QuestionError",
        "Settings",
        "SourceError",
        "StoreUnavailableError",
    ]
    for name in assistant.__all__:
        assert hasattr(assistant, name)
