"""Before any DCE text leaves the computer: the user agrees once, knowing what is sent, to whom, and
what is kept (issue 18, item 7). Shared by the CLI and the desktop app.

- `disclosure(...)` says what an analysis or a drafting with Claude would send (pieces, pages, size),
  to whom (Anthropic, United States, under the EU–US Data Privacy Framework and the standard
  contractual clauses), what Anthropic keeps, and that the offline engine sends nothing.
- The answer is kept per consultation (`consultations.claude_consent`) and may be made the global
  setting (`claude.send_dce`: "ask", "always" or "never").
- `require(...)` is called by every service that would send DCE text to Claude: without an agreement
  it raises ConsentRequired (exit 2, French reason) and nothing is sent.
- `WHAT_LEAVES` is the list the *À propos / Confidentialité* page shows: exactly what leaves the
  computer, when, and to whom.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from app.domain.document import PieceText
from app.domain.errors import EXIT_USAGE, UserError
from app.settings import CLAUDE_SEND_DCE, SendDce, Settings
from local_store import repo_consultations as repo_c
from local_store.store import Store

log = logging.getLogger(__name__)

GRANTED, REFUSED = "granted", "refused"
ASK, ALWAYS, NEVER = "ask", "always", "never"
CLAUDE_ENGINES = frozenset({"claude", "hybrid"})

RECIPIENT = (
    "Anthropic PBC (Claude), aux États-Unis. Ce transfert hors de l'Union européenne est encadré par "
    "le cadre de protection des données UE–États-Unis (EU–US Data Privacy Framework, auquel Anthropic "
    "est certifiée) et par les clauses contractuelles types de la Commission européenne."
)
RETENTION = (
    "Anthropic n'utilise pas les données envoyées par l'API pour entraîner ses modèles. Elle les efface "
    "de ses serveurs dans les 30 jours, sauf si la loi l'oblige à les garder ou si une requête est "
    "signalée pour non-respect de sa politique d'utilisation (conservée alors jusqu'à 2 ans). "
    "Avec l'abonnement Maître AO, les requêtes passent par le serveur Maître AO (hébergé en France), "
    "qui compte les jetons et ne garde aucun contenu."
)
OFFLINE = (
    "Le moteur hors ligne n'envoie rien : l'analyse et la rédaction hors ligne restent sur cet ordinateur."
)


@dataclass(frozen=True)
class Disclosure:
    """What an operation with Claude would send."""

    purpose: str  # "analyse" or "rédaction"
    pieces: int
    pages: int
    characters: int

    @property
    def size_label(self) -> str:
        kib = self.characters / 1024
        return f"{kib / 1024:.1f} Mo".replace(".", ",") if kib >= 1024 else f"{max(1, round(kib))} Ko"

    def text(self) -> str:
        """The notice, in French, as shown in the dialog and on the terminal."""
        return "\n\n".join(
            [
                f"Pour cette {self.purpose} avec Claude, Maître AO enverra des extraits du texte du DCE : "
                f"au plus le texte de {self.pieces} pièce(s), {self.pages} page(s), environ "
                f"{self.size_label} — en pratique les passages utiles seulement. Les fichiers "
                "eux-mêmes ne sont pas envoyés."
                + (
                    " Le profil de votre entreprise (références, moyens, certifications) est envoyé "
                    "aussi pour rédiger."
                    if self.purpose == "rédaction"
                    else ""
                ),
                f"Destinataire : {RECIPIENT}",
                f"Ce qui est conservé : {RETENTION}",
                OFFLINE,
            ]
        )


@dataclass(frozen=True)
class Flow:
    what: str
    when: str
    to_whom: str


# Exactly what leaves the computer (the À propos / Confidentialité page and `maitre-ao` help).
WHAT_LEAVES: tuple[Flow, ...] = (
    Flow(
        "Extraits du texte des pièces du DCE (jamais les fichiers)",
        "Seulement pour une analyse « Claude » ou « Hybride », ou une rédaction avec Claude, que vous "
        "lancez, et après votre accord pour la consultation (demandé une fois)",
        "Anthropic (États-Unis ; Data Privacy Framework et clauses contractuelles types), directement "
        "avec votre clé API, ou via le serveur Maître AO (France) avec l'abonnement",
    ),
    Flow(
        "Le profil de l'entreprise utile à la section rédigée",
        "Rédaction d'une section avec Claude, après votre accord",
        "Anthropic, comme ci-dessus",
    ),
    Flow(
        "Compte : nom, prénom, adresse e-mail, mot de passe (haché sur le serveur), abonnement",
        "À l'inscription, à la connexion et quand vous les modifiez",
        "Serveur Maître AO (hébergé en France)",
    ),
    Flow(
        "Profil de l'entreprise, certifications, références, moyens, documents administratifs, "
        "blocs de bibliothèque (sauf ceux marqués « ne pas synchroniser »)",
        "À chaque synchronisation, quand vous êtes connecté à un compte",
        "Serveur Maître AO (hébergé en France)",
    ),
    Flow(
        "Consultations : titre, acheteur, date limite, statut (jamais les pièces ni leur texte)",
        "À chaque synchronisation, quand vous êtes connecté à un compte",
        "Serveur Maître AO (hébergé en France)",
    ),
    Flow(
        "Mémoires techniques",
        "Seulement pour les consultations où vous activez leur synchronisation",
        "Serveur Maître AO (hébergé en France)",
    ),
    Flow(
        "Adresse IP, version de l'application (User-Agent) et heure de chaque connexion",
        "À chaque échange avec le serveur (connexion, synchronisation, Claude par l'abonnement)",
        "Serveur Maître AO (hébergé en France ; journal des connexions gardé 12 mois)",
    ),
    Flow(
        "Nombre de jetons consommés par Claude (pas le contenu)",
        "À chaque appel à Claude avec l'abonnement",
        "Serveur Maître AO (hébergé en France)",
    ),
)

# The 17 promises of the published privacy policy, and how the app and the server keep each one (the
# same list, with the test that shows each, is in server/README.md). Shown in À propos / Confidentialité.
PROMISES: tuple[tuple[str, str], ...] = (
    (
        "Hébergement en France, sauvegardes comprises",
        "Le serveur refuse de démarrer hors d'une région française. Exception à connaître : les analyses par "
        "Claude partent chez Anthropic, aux États-Unis, et seulement avec votre accord.",
    ),
    ("Mots de passe chiffrés (bcrypt)", "Le serveur ne garde qu'une empreinte bcrypt de votre mot de passe."),
    (
        "Données jamais vendues",
        "Seuls Stripe (paiement) et Anthropic (analyses que vous demandez) reçoivent des données.",
    ),
    (
        "DCE envoyés à Anthropic seulement pour l'analyse",
        "Rien ne part avant votre accord, donné une fois par consultation ; le moteur hors ligne n'envoie rien.",
    ),
    ("Pas de cookie publicitaire ni de traceur", "Ni l'application ni le serveur n'en posent."),
    (
        "Compte gardé 3 ans après la résiliation",
        "Compté en dates du calendrier, depuis la résiliation ou la dernière connexion.",
    ),
    (
        "DCE supprimés 30 jours après l'analyse",
        "Appliqué à chaque ouverture du coffre et chaque jour ; les DCE ne vont jamais sur le serveur.",
    ),
    ("Données de facturation gardées 10 ans", "Compté en dates du calendrier."),
    ("Journaux de connexion gardés 12 mois", "Compté en dates du calendrier."),
    ("Chiffrement en transit (HTTPS)", "L'application refuse une adresse en http et un certificat invalide."),
    (
        "Changements de la politique signalés",
        "Une nouvelle version est montrée à la connexion et à la synchronisation, avec ce qui change.",
    ),
    ("Droit d'accès", "Paramètres › Compte : exporter toutes vos données."),
    ("Droit de rectification", "Paramètres › Compte : modifier vos informations."),
    ("Droit à l'effacement", "Paramètres › Compte : supprimer le compte (mot de passe redemandé)."),
    ("Droit à la portabilité", "L'export est un fichier JSON complet."),
    ("Droit d'opposition", "Les statistiques d'usage sont supprimées et ne sont plus enregistrées."),
    (
        "Droit à la limitation",
        "Synchronisation et analyses suspendues ; le compte n'est pas supprimé tant que la limitation dure.",
    ),
)


NEVER_LEAVES = (
    "Ne quittent jamais cet ordinateur : les fichiers des DCE, la clé du coffre chiffré et sa clé de "
    "secours, votre clé API Anthropic (gardée dans le trousseau du système et envoyée seulement à "
    "Anthropic pour s'identifier), le journal de l'application. L'analyse et la rédaction hors ligne "
    "n'envoient rien."
)


class ConsentRequired(UserError):
    """DCE text would be sent to Claude without the user's agreement: nothing was sent."""

    exit_code = EXIT_USAGE

    def __init__(self, disclosure: Disclosure | None = None, *, refused: bool = False) -> None:
        if refused:
            message = (
                "Vous avez refusé l'envoi du texte de ce DCE à Claude (Anthropic, États-Unis) : rien n'a "
                "été envoyé. Utilisez le moteur hors ligne, ou changez ce choix dans les paramètres."
            )
        else:
            message = (
                "Le texte de ce DCE serait envoyé à Claude (Anthropic, États-Unis) et votre accord n'a pas "
                "été donné : rien n'a été envoyé. Relancez avec --send-to-claude pour l'accepter, ou "
                "utilisez --engine offline (rien n'est envoyé)."
            )
        super().__init__(message)
        self.disclosure = disclosure
        self.refused = refused


def disclosure(pieces: list[PieceText], purpose: str = "analyse") -> Disclosure:
    read = [p for p in pieces if p.pages]
    return Disclosure(
        purpose=purpose,
        pieces=len(read),
        pages=sum(len(p.pages) for p in read),
        characters=sum(len(page.text.encode("utf-8")) for p in read for page in p.pages),
    )


def global_choice(settings: Settings | None = None) -> str:
    value = (settings or Settings.load()).get(CLAUDE_SEND_DCE)
    return value if value in (ASK, ALWAYS, NEVER) else ASK


def set_global_choice(value: str, settings: Settings | None = None) -> None:
    if value not in (ASK, ALWAYS, NEVER):
        raise ValueError(value)
    (settings or Settings.load()).set(CLAUDE_SEND_DCE, SendDce(value))


def consultation_choice(store: Store, uuid: str) -> str | None:
    row = repo_c.get(store, uuid)
    return None if row is None else row.claude_consent


def decided(store: Store | None, uuid: str | None, settings: Settings | None = None) -> bool | None:
    """True (may send), False (refused) or None (ask): the consultation's answer, else the global one."""
    if store is not None and uuid is not None:
        answer = consultation_choice(store, uuid)
        if answer == GRANTED:
            return True
        if answer == REFUSED:
            return False
    choice = global_choice(settings)
    return True if choice == ALWAYS else False if choice == NEVER else None


def record(
    store: Store | None,
    uuid: str | None,
    granted: bool,
    *,
    remember: bool = False,
    settings: Settings | None = None,
) -> None:
    """Keep the answer for the consultation, and as the global setting with `remember`."""
    if store is not None and uuid is not None:
        with store.transaction() as tx:
            repo_c.set_claude_consent(tx, uuid, GRANTED if granted else REFUSED)
    if remember:
        set_global_choice(ALWAYS if granted else NEVER, settings)
    log.info("claude consent recorded: %s (global: %s)", granted, remember)


def needed(engine: str) -> bool:
    """Whether `engine` would send DCE text (only when Claude is configured: otherwise nothing goes)."""
    if engine not in CLAUDE_ENGINES:
        return False
    from app.analysis.claude.client import is_configured

    return is_configured()


def pending(
    store: Store | None,
    uuid: str | None,
    engine: str,
    pieces: list[PieceText],
    purpose: str = "analyse",
    settings: Settings | None = None,
) -> Disclosure | None:
    """The notice to show before running, or None when nothing would be sent or it was agreed."""
    if not needed(engine) or decided(store, uuid, settings) is True:
        return None
    return disclosure(pieces, purpose)


def for_consultation(
    store: Store, uuid: str, engine: str, purpose: str = "analyse", settings: Settings | None = None
) -> tuple[Disclosure | None, bool | None]:
    """For the desktop, before it runs: (the notice to show or None, what was decided before).

    The pieces' texts are read only when the question has to be asked."""
    if not needed(engine):
        return None, True
    answer = decided(store, uuid, settings)
    if answer is True:
        return None, True
    from local_store import repo_pieces

    return disclosure(repo_pieces.piece_texts(store, uuid), purpose), answer


def require(
    store: Store | None,
    uuid: str | None,
    engine: str,
    pieces: list[PieceText],
    purpose: str = "analyse",
    *,
    settings: Settings | None = None,
) -> None:
    """Raise ConsentRequired unless sending is agreed (or nothing would be sent)."""
    if not needed(engine):
        return
    answer = decided(store, uuid, settings)
    if answer is True:
        return
    log.info("claude call refused: no consent (%s)", "refused" if answer is False else "not asked")
    raise ConsentRequired(disclosure(pieces, purpose), refused=answer is False)


ConfirmFn = Callable[[Disclosure], bool]


def agree(
    store: Store | None,
    uuid: str | None,
    engine: str,
    pieces: list[PieceText],
    purpose: str,
    confirm: ConfirmFn | None,
) -> None:
    """Before sending: `confirm(notice)` asks when nothing was decided (the answer is kept for the
    consultation), then `require` — so nothing leaves without an agreement."""
    notice = pending(store, uuid, engine, pieces, purpose)
    if notice is not None and confirm is not None and decided(store, uuid) is None:
        granted = confirm(notice)
        record(store, uuid, granted)
        if granted:
            return  # agreed now (kept for the consultation when there is one)
        raise ConsentRequired(notice, refused=True)
    require(store, uuid, engine, pieces, purpose)
