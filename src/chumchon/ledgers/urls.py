from chumchon.ledgers.views import entry, months, paper, review, statements

app_name = "ledgers"
urlpatterns = [
    *entry.urlpatterns,
    *review.urlpatterns,
    *months.urlpatterns,
    *statements.urlpatterns,
    *paper.urlpatterns,
]
