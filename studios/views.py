from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def studio_list(request):
    return HttpResponse("")


studio_detail = studio_list
