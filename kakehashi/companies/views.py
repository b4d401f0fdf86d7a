from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def company_list(request):
    return render(request, "companies/company_list.html", {})
