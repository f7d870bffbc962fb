from applications.tests.conftest import *  # noqa: F403  (the application-process fixtures)
