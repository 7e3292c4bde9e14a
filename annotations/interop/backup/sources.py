"""Restoring who worked and what they worked on: accounts, articles with their texts, labels."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from annotations.interop.backup.document import Item, check
from annotations.interop.backup.restoring import Restored, described, keep_times, save_one
from annotations.models import Label
from articles.models import Article, ArticleRevision
from articles.services import article_store


def restore_users(doc: dict, restored: Restored) -> None:
    """Find each account here by its username, or create it (without a password or staff flag).

    An account already here is left as it is. A new one gets its groups (roles) back and an
    unusable password: passwords never leave the site in a backup, so its owner sets a new one
    (an administrator, or the password-reset page).
    """
    User = get_user_model()
    groups: dict[str, Group] = {}
    for index, data in enumerate(Item(doc, "the backup").objects("users")):
        item = Item(data, described("user", data, index, "username"))
        username = item.text("username")
        user = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
        if user is not None:
            restored.found_here["users"] += 1
        else:
            user = User(
                **{User.USERNAME_FIELD: username},
                first_name=item.text("firstName", ""),
                last_name=item.text("lastName", ""),
                email=item.text("email", ""),
                is_active=item.flag("active", True),
            )
            user.set_unusable_password()
            joined = item.moment("joined")
            if joined is not None:
                user.date_joined = joined
            save_one(user, item, f"an account called “{username}” clashes with one here")
            for name in item.objects("groups"):
                if not isinstance(name, str) or not name:
                    raise item.error("“groups” must be a list of group names")
                if name not in groups:
                    groups[name] = Group.objects.get_or_create(name=name[:150])[0]
                user.groups.add(groups[name])
            restored.counts["users"] += 1
        restored.users[username] = user
        pk = item.number("pk", None)
        if pk is not None:
            restored.user_pks[pk] = user


def restore_articles(doc: dict, restored: Restored) -> None:
    """Find each article here by its original URL (else by its text), or store it again.

    A new article is stored through articles.services.article_store, revision by revision, so
    its derived text and its revisions are made here as for any import.
    """
    for index, data in enumerate(Item(doc, "the backup").objects("articles")):
        item = Item(data, described("article", data, index, "title"))
        pk = item.number("pk")
        url = item.text("sourceUrl", None)
        content_hash = item.text("contentHash")
        if url:
            here = Article.objects.filter(source_url=url).first()
        else:
            # Two articles without an address may read alike: each finds its own here.
            taken = [article.pk for article in restored.articles.values()]
            here = (
                Article.objects.filter(source_url__isnull=True, content_hash=content_hash)
                .exclude(pk__in=taken)
                .order_by("pk")
                .first()
            )
        if here is not None:
            _use_article_here(item, here, content_hash, restored)
        else:
            here = _store_article(item, url, restored)
        restored.articles[pk] = here


def _use_article_here(item: Item, article: Article, content_hash: str, restored) -> None:
    if article.content_hash != content_hash:
        raise item.error(
            f"it is here already (article {article.pk}) with another text: its annotations "
            "were made on the text in the backup. Load into a database where the article is "
            "absent or has the same text"
        )
    numbers = {}
    here = dict(
        ArticleRevision.objects.filter(article=article).values_list("content_hash", "number")
    )
    for revision in item.objects("revisions"):
        revision = Item(revision, f"{item.what}, a revision")
        numbers[revision.number("number")] = here.get(
            revision.text("contentHash"), article.revision_number
        )
    numbers[item.number("revision")] = article.revision_number
    restored.revision_numbers[item.number("pk")] = numbers
    restored.found_here["articles"] += 1


def _store_article(item: Item, url: str | None, restored: Restored) -> Article:
    revisions = [Item(r, f"{item.what}, a revision") for r in item.objects("revisions")]
    if not revisions:
        raise item.error(
            "it is not here, and the backup was written without the articles' text: import "
            "the article first, or load a backup written with the articles"
        )
    revisions.sort(key=lambda r: r.number("number"))
    article, numbers, times = None, {}, []
    details = {
        "source_name": item.text("sourceName", ""),
        "source_url": url,
        "published_at": item.moment("published"),
        "language": item.text("language", ""),
    }
    for revision in revisions:
        author = restored.user(revision, "createdBy")
        try:
            stored = article_store(
                title=revision.text("title"),
                body_markdown=revision.text("bodyMarkdown"),
                subtitle=revision.text("subtitle", ""),
                byline=revision.text("byline", ""),
                imported_by=author,
                article=article,
                **details,
            )
        except ValueError as exc:
            raise revision.error(str(exc)) from None
        article = stored.article
        numbers[revision.number("number")] = article.revision_number
        snapshot = ArticleRevision.objects.get(article=article, number=article.revision_number)
        if snapshot.content_hash != revision.text("contentHash"):
            restored.warnings.append(
                f"{item.what}, revision {revision.number('number')}: its text reads "
                "differently here than where the backup was written (another version of the "
                "renderer); its annotations are placed again by their quotes"
            )
        times.append((snapshot.pk, author, revision.moment("created")))
    for revision_pk, author, created in times:
        moments = {"created_at": created} if created is not None else {}
        ArticleRevision.objects.filter(pk=revision_pk).update(created_by=author, **moments)
    # The details as they were stored (a revision keeps those it is not given), and who
    # imported the article.
    for name, value in details.items():
        setattr(article, name, value)
    article.imported_by = restored.user(item, "importedBy")
    item.apply_other_fields(article)
    check(article, item)
    article.save()
    keep_times(
        Article,
        [(article, {"created_at": item.moment("created"), "updated_at": item.moment("modified")})],
    )
    restored.revision_numbers[item.number("pk")] = numbers
    restored.counts["articles"] += 1
    restored.counts["article revisions"] += len(revisions)
    return article


def restore_labels(doc: dict, restored: Restored) -> None:
    """Find each label here by its slug (the default statuses are) and give it the backup's
    name, colour, description, shortcut and position; create the others."""
    for index, data in enumerate(Item(doc, "the backup").objects("labels")):
        item = Item(data, described("label", data, index, "name"))
        slug = item.text("slug")
        label = Label.objects.filter(slug=slug).first()
        if label is None:
            label = Label(slug=slug)
            restored.counts["labels"] += 1
        else:
            restored.found_here["labels"] += 1
        label.name = item.text("name")
        label.kind = item.text("kind")
        label.colour = item.text("colour")
        label.description = item.text("description", "")
        label.shortcut = item.text("shortcut", "")
        label.position = item.number("position", label.position)
        label.private_to = restored.user(item, "privateTo")
        item.apply_other_fields(label)
        save_one(
            label,
            item,
            "another label here has its name or its shortcut: rename that one first",
        )
        restored.labels[item.number("pk")] = label
