def school_attributes(user, service):
    """The attributes a school's 统一身份认证 typically releases: 工号 (employeeNumber), name and e-mail."""
    return {"employeeNumber": user.last_name or user.username, "cn": user.first_name, "mail": user.email}
