def unit_switcher(request):
    return {}
