"""Beat entries of the models registry; portal/settings/base.py merges SCHEDULE."""

SCHEDULE = {
    # Uploads kept from refused forms (so users need not choose them again) expire after a day.
    "models-purge-kept-uploads": {"task": "models_registry.tasks.purge_kept_uploads", "schedule": 24 * 3600.0},
}
