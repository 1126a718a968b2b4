"""Open311 GeoReport v2 for public-place reports, under /open311/v2/ (docs/api.md, Open311).

Standard names and shapes (https://wiki.open311.org/GeoReport_v2), in XML (the spec's
required format, the default) and JSON, chosen by the path's `.xml` / `.json`: services are
the report categories (service_code = category code, their questions the attributes of the
service definition); a service request's id is its receipt code; `address_id` may name a
Civility place id (its commune then receives the report). FixMyStreet's extension
`servicerequestupdates` lists the public steps of handling.

Modules: `formats` (XML/JSON answers and errors, also used by the middlewares that answer
before a view runs), `views` (the operations), `filing` (a POSTed request's checks).
"""
