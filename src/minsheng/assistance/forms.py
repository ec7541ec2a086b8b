"""Reading application forms (portal and office) into service arguments."""

from __future__ import annotations

MEMBER_ROWS = 6


def application_args(post) -> dict:
    members = []
    for i in range(MEMBER_ROWS):
        number = post.get(f"m{i}_id", "").strip()
        if not number:
            continue
        members.append({
            "id_number": number,
            "income": {k: post.get(f"m{i}_{k}", "").strip() or "0"
                       for k in ("wages", "business", "other")},
            "assets": {"deposits": post.get(f"m{i}_deposits", "").strip() or "0",
                       "properties": post.get(f"m{i}_properties", "").strip() or "0"},
            "authorised": post.get(f"m{i}_authorised") == "on",
        })
    return {
        "applicant_id_number": post.get("applicant_id_number", ""),
        "applicant_name": post.get("applicant_name", ""),
        "phone": post.get("phone", ""), "bank_account": post.get("bank_account", ""),
        "reason": post.get("reason", "")[:2000], "agent_name": post.get("agent_name", ""),
        "agent_relation": post.get("agent_relation", ""),
        "single_person": post.get("single_person", ""),
        "idempotency_key": post.get("idempotency_key", ""), "members": members,
    }
