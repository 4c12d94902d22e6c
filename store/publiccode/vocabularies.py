"""Vocabularies of publiccode.yml v0 as the reference validator knows them.

Enumerations, the categories, scopes and `supports` aliases of the standard
(publiccodeyml/publiccode.yml, CC0-1.0), and the video hosts accepted as oEmbed links."""

import re

SUPPORTED_VERSIONS = (
    "0", "0.2", "0.2.0", "0.2.1", "0.2.2", "0.3", "0.3.0", "0.4", "0.4.0",
    "0.5.0", "0.5", "0.7.0", "0.7",
)
LATEST_VERSION = SUPPORTED_VERSIONS[-1]

DEVELOPMENT_STATUSES = ("concept", "development", "beta", "stable", "obsolete")
SOFTWARE_TYPES = (
    "standalone/mobile", "standalone/iot", "standalone/desktop", "standalone/web",
    "standalone/backend", "standalone/other", "addon", "library", "configurationFiles",
)
MAINTENANCE_TYPES = ("internal", "contract", "community", "none")
COUNTRY_EXTENSION_VERSIONS = ("0.2", "1.0")

CATEGORIES = frozenset("""
accounting agile-project-management applicant-tracking application-development
appointment-scheduling backup billing-and-invoicing blog budgeting business-intelligence
business-process-management cad call-center-management cloud-management collaboration
communications compliance-management contact-management content-management crm
customer-service-and-support data-analytics data-collection data-visualization design
design-system digital-asset-management digital-citizenship document-management donor-management
e-commerce e-signature educational-content email-management email-marketing employee-management
enterprise-project-management enterprise-social-networking erp event-management
facility-management feedback-and-reviews-management financial-reporting fleet-management
fundraising gamification geographic-information-systems grant-management graphic-design
help-desk hr ide identity-management instant-messaging integrated-library-system
inventory-management it-asset-management it-development it-management it-security
it-service-management knowledge-management learning-management-system marketing mind-mapping
mobile-marketing mobile-payment network-management office online-booking online-community
payment-gateway payroll predictive-analysis procurement productivity-suite project-collaboration
project-management property-management real-estate-management regulations-and-directives
remote-support resource-management sales-management seo service-desk social-media-management
survey talent-management task-management taxes-management test-management time-management
time-tracking translation video-conferencing video-editing visitor-management voip
warehouse-management web-collaboration web-conferencing whistleblowing website-builder
workflow-management other
""".split())

SCOPES = frozenset("""
agriculture culture defence education emergency-services employment energy environment
finance-and-economic-development foreign-affairs government healthcare infrastructures justice
local-authorities manufacturing research science-and-technology security society sport tourism
transportation welfare
""".split())

SUPPORTS_ALIASES = frozenset({"gdpr", "eidas", "nis2", "cra", "spid", "cie", "anpr", "pagopa", "io"})

# Video hosts whose URLs the reference accepts as oEmbed links (a subset of oembed.com's
# provider list: the video platforms public software projects actually link to).
OEMBED_PATTERNS = tuple(
    re.compile("^" + re.escape(p).replace(r"\*", ".*") + "$")
    for p in (
        "https://*.youtube.com/watch*", "https://*.youtube.com/v/*", "https://youtu.be/*",
        "https://*.youtube.com/playlist?list=*", "https://youtube.com/playlist?list=*",
        "https://*.youtube.com/shorts*", "https://youtube.com/shorts*",
        "https://*.youtube.com/embed/*", "https://*.youtube.com/live*", "https://youtube.com/live*",
        "https://vimeo.com/*", "https://vimeo.com/album/*/video/*", "https://vimeo.com/channels/*/*",
        "https://vimeo.com/groups/*/videos/*", "https://vimeo.com/ondemand/*/*",
        "https://player.vimeo.com/video/*", "https://www.dailymotion.com/video/*",
        "https://dai.ly/*", "https://www.ted.com/talks/*", "https://*.twitch.tv/*",
        "https://www.loom.com/share/*", "https://peertube.*/videos/watch/*",
        "https://www.slideshare.net/*/*",
        "https://*.wistia.com/medias/*", "https://fast.wistia.com/embed/medias/*.jsonp",
        "https://streamable.com/*", "https://www.facebook.com/*/videos/*",
        "https://www.facebook.com/video*", "https://soundcloud.com/*",
    )
)
