app_name = "foodsafety"
urlpatterns = []
