#!/bin/sh
# The fifty-eighth by-hand round's scratch folder: a Django project (mysite, with settings split
# into base, dev and production; a shop app with two models, an initial migration and a
# fixture; a SQLite database not yet made). Django itself is not part of it: install it to run.
set -e
d=${1:-/tmp/scratch58}
rm -rf "$d" && mkdir -p "$d" && cd "$d"
cat > manage.py <<'EOF'
#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
EOF
chmod +x manage.py
mkdir -p mysite/settings shop/migrations shop/fixtures shop/templates/shop static
: > mysite/__init__.py
: > mysite/settings/__init__.py
cat > mysite/settings/base.py <<'EOF'
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
SECRET_KEY = "dev-only-not-secret"
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "shop",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "mysite.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.request",
            ]
        },
    }
]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BASE_DIR / "db.sqlite3",
    }
}
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
EOF
cat > mysite/settings/dev.py <<'EOF'
from .base import *  # noqa: F401,F403

DEBUG = True
ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
EOF
cat > mysite/settings/production.py <<'EOF'
from .base import *  # noqa: F401,F403

DEBUG = False
ALLOWED_HOSTS = ["shop.example.com"]
EOF
cat > mysite/urls.py <<'EOF'
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("shop.urls")),
]
EOF
cat > mysite/wsgi.py <<'EOF'
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings.production")
application = get_wsgi_application()
EOF
: > shop/__init__.py
: > shop/migrations/__init__.py
cat > shop/apps.py <<'EOF'
from django.apps import AppConfig


class ShopConfig(AppConfig):
    name = "shop"
EOF
cat > shop/models.py <<'EOF'
from django.db import models


class Category(models.Model):
    name = models.CharField(max_length=100)

    def __str__(self):
        return self.name


class Product(models.Model):
    name = models.CharField(max_length=200)
    price = models.DecimalField(max_digits=8, decimal_places=2)
    category = models.ForeignKey(Category, on_delete=models.CASCADE)
    in_stock = models.BooleanField(default=True)

    def __str__(self):
        return self.name
EOF
cat > shop/migrations/0001_initial.py <<'EOF'
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Category",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=100)),
            ],
        ),
        migrations.CreateModel(
            name="Product",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=200)),
                ("price", models.DecimalField(decimal_places=2, max_digits=8)),
                ("category", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="shop.category")),
            ],
        ),
    ]
EOF
cat > shop/urls.py <<'EOF'
from django.urls import path

from . import views

urlpatterns = [
    path("", views.product_list, name="product_list"),
]
EOF
cat > shop/views.py <<'EOF'
from django.shortcuts import render

from .models import Product


def product_list(request):
    return render(request, "shop/product_list.html", {"products": Product.objects.all()})
EOF
cat > shop/admin.py <<'EOF'
from django.contrib import admin

from .models import Category, Product

admin.site.register(Category)
admin.site.register(Product)
EOF
cat > shop/tests.py <<'EOF'
from django.test import TestCase

from .models import Category, Product


class ProductTests(TestCase):
    def test_str(self):
        category = Category.objects.create(name="Chairs")
        product = Product.objects.create(name="Stool", price="19.90", category=category)
        self.assertEqual(str(product), "Stool")
EOF
cat > shop/templates/shop/product_list.html <<'EOF'
<ul>{% for p in products %}<li>{{ p.name }}: {{ p.price }}</li>{% endfor %}</ul>
EOF
cat > shop/fixtures/sample_data.json <<'EOF'
[
  {"model": "shop.category", "pk": 1, "fields": {"name": "Chairs"}},
  {"model": "shop.product", "pk": 1, "fields": {"name": "Stool", "price": "19.90", "category": 1, "in_stock": true}},
  {"model": "shop.product", "pk": 2, "fields": {"name": "Armchair", "price": "249.00", "category": 1, "in_stock": false}}
]
EOF
printf 'body { font-family: sans-serif; }\n' > static/site.css
printf 'Django>=5.0,<6\n' > requirements.txt
