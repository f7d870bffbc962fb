import factory

from accounts.enums import Role
from accounts.models import Department, Major, RoleAssignment, User

TEST_PASSWORD = "Test@Pass2026"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"D{n:02d}")
    name = factory.Sequence(lambda n: f"测试系{n}")


class MajorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Major

    department = factory.SubFactory(DepartmentFactory)
    code = factory.Sequence(lambda n: f"M{n:03d}")
    name = factory.Sequence(lambda n: f"测试专业{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"U{n:05d}")
    display_name = factory.Sequence(lambda n: f"测试用户{n}")
    department = factory.SubFactory(DepartmentFactory)
    email = factory.LazyAttribute(lambda u: f"{u.username.lower()}@school.example")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        self.save()
        for role in extracted or []:
            department = self.department if role == Role.DEPT_HEAD else None
            RoleAssignment.objects.get_or_create(user=self, role=role, department=department)
