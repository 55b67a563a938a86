import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")
application = get_wsgi_application()

# What is loaded by now (Django, the apps, their modules and URL patterns) lives as long as the
# worker: move it out of the cyclic collector's generations, so a full collection scans only what
# requests allocate. Without it, a page that builds a few thousand objects (the spread, a 125-row
# coverage table) set off full collections over the whole heap: 90-130 ms added to one request in
# five at nation5 (`make bench` loads the portal through this module too).
gc.collect()
gc.freeze()
