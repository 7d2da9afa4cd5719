"""An OpenAPI 3 description of the city's Open311 GeoReport v2 endpoints, served at ``openapi.json``."""

from __future__ import annotations

SPEC = "http://wiki.open311.org/GeoReport_v2"


def _fmt_param() -> dict:
    return {
        "name": "format",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "enum": ["xml", "json"]},
    }


def _query(name: str, description: str, required: bool = False) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": required,
        "description": description,
        "schema": {"type": "string"},
    }


JURISDICTION = _query("jurisdiction_id", "Optional: this server serves one jurisdiction.")


def _answer(schema_ref: str, description: str, array: bool = True) -> dict:
    schema = {"type": "array", "items": {"$ref": schema_ref}} if array else {"$ref": schema_ref}
    return {
        "description": description,
        "content": {
            "application/json": {"schema": schema},
            "text/xml": {"schema": {"type": "string", "description": "The same data in the spec's XML."}},
        },
    }


ERROR = {"$ref": "#/components/responses/Error"}


def document(base_url: str) -> dict:
    string = {"type": "string"}
    nullable_string = {"type": "string", "nullable": True}
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Open311 GeoReport v2: citizen feedback (1022)",
            "version": "2",
            "description": (
                "The city's feedback reports through the Open311 GeoReport v2 standard "
                f"({SPEC}). Every endpoint answers XML (`.xml`) and JSON (`.json`). "
                "Errors use the spec's body: a list of {code, description}. No personal data "
                "(name, phone, e-mail, citizens' photos) is ever returned; free text is masked."
            ),
        },
        "servers": [{"url": base_url + "/open311/v2"}],
        "externalDocs": {"url": SPEC},
        "paths": {
            "/discovery.{format}": {
                "get": {
                    "summary": "Service discovery",
                    "parameters": [_fmt_param()],
                    "responses": {"200": _answer("#/components/schemas/Discovery", "Discovery", array=False)},
                }
            },
            "/services.{format}": {
                "get": {
                    "summary": "GET Service List (the categories)",
                    "parameters": [_fmt_param(), JURISDICTION],
                    "responses": {"200": _answer("#/components/schemas/Service", "Services"), "404": ERROR},
                }
            },
            "/services/{service_code}.{format}": {
                "get": {
                    "summary": "GET Service Definition (the category's questions)",
                    "parameters": [
                        {"name": "service_code", "in": "path", "required": True, "schema": string},
                        _fmt_param(),
                        JURISDICTION,
                    ],
                    "responses": {
                        "200": _answer("#/components/schemas/ServiceDefinition", "Definition", array=False),
                        "404": ERROR,
                    },
                }
            },
            "/requests.{format}": {
                "get": {
                    "summary": "GET Service Requests",
                    "parameters": [
                        _fmt_param(),
                        JURISDICTION,
                        _query("service_request_id", "Comma-delimited ids; overrides the other filters."),
                        _query("service_code", "Comma-delimited service codes."),
                        _query(
                            "start_date", "w3 date-time with a time zone; the range spans at most 90 days."
                        ),
                        _query("end_date", "w3 date-time with a time zone; default: now."),
                        _query("status", "open, closed, or both comma delimited."),
                    ],
                    "responses": {
                        "200": _answer("#/components/schemas/ServiceRequest", "Requests"),
                        "400": ERROR,
                    },
                },
                "post": {
                    "summary": "POST Service Request",
                    "parameters": [_fmt_param()],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/x-www-form-urlencoded": {
                                "schema": {"$ref": "#/components/schemas/NewServiceRequest"}
                            }
                        },
                    },
                    "responses": {
                        "201": _answer("#/components/schemas/Created", "Created"),
                        "400": ERROR,
                        "403": ERROR,
                        "429": ERROR,
                    },
                },
            },
            "/requests/{service_request_id}.{format}": {
                "get": {
                    "summary": "GET Service Request",
                    "parameters": [
                        {"name": "service_request_id", "in": "path", "required": True, "schema": string},
                        _fmt_param(),
                        JURISDICTION,
                    ],
                    "responses": {
                        "200": _answer("#/components/schemas/ServiceRequest", "Request"),
                        "404": ERROR,
                    },
                }
            },
            "/tokens/{token}.{format}": {
                "get": {
                    "summary": "GET service_request_id from a token",
                    "parameters": [
                        {"name": "token", "in": "path", "required": True, "schema": string},
                        _fmt_param(),
                        JURISDICTION,
                    ],
                    "responses": {"200": _answer("#/components/schemas/Token", "Token"), "404": ERROR},
                }
            },
        },
        "components": {
            "responses": {
                "Error": {
                    "description": "The spec's error body (also <errors><error><code/><description/></error></errors>)",
                    "content": {
                        "application/json": {
                            "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Error"}}
                        }
                    },
                }
            },
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["code", "description"],
                    "properties": {"code": {"type": "integer"}, "description": string},
                },
                "Discovery": {
                    "type": "object",
                    "properties": {
                        "changeset": string,
                        "contact": string,
                        "key_service": string,
                        "endpoints": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "specification": string,
                                    "url": string,
                                    "changeset": string,
                                    "type": string,
                                    "formats": {"type": "array", "items": string},
                                },
                            },
                        },
                    },
                },
                "Service": {
                    "type": "object",
                    "required": ["service_code", "service_name", "metadata", "type"],
                    "properties": {
                        "service_code": string,
                        "service_name": string,
                        "description": string,
                        "metadata": {"type": "boolean"},
                        "type": {"type": "string", "enum": ["realtime", "batch", "blackbox"]},
                        "keywords": string,
                        "group": string,
                    },
                },
                "ServiceDefinition": {
                    "type": "object",
                    "properties": {
                        "service_code": string,
                        "attributes": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "variable": {"type": "boolean"},
                                    "code": string,
                                    "datatype": {
                                        "type": "string",
                                        "enum": [
                                            "string",
                                            "number",
                                            "datetime",
                                            "text",
                                            "singlevaluelist",
                                            "multivaluelist",
                                        ],
                                    },
                                    "required": {"type": "boolean"},
                                    "datatype_description": string,
                                    "order": {"type": "integer"},
                                    "description": string,
                                    "values": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "properties": {"key": string, "name": string},
                                        },
                                    },
                                },
                            },
                        },
                    },
                },
                "NewServiceRequest": {
                    "type": "object",
                    "required": ["api_key", "service_code", "description", "phone"],
                    "properties": {
                        "api_key": string,
                        "jurisdiction_id": string,
                        "service_code": string,
                        "lat": {"type": "number"},
                        "long": {"type": "number"},
                        "address_string": string,
                        "address_id": {
                            "type": "string",
                            "description": "The ward's administrative code, e.g. 28261.",
                        },
                        "email": string,
                        "device_id": string,
                        "account_id": string,
                        "first_name": string,
                        "last_name": string,
                        "phone": {"type": "string", "description": "Required by the city (never published)."},
                        "description": string,
                        "media_url": {"type": "string", "description": "Accepted, not fetched."},
                        "attribute[CODE]": {"type": "string", "description": "An answer per attribute code."},
                    },
                },
                "Created": {
                    "type": "object",
                    "properties": {
                        "service_request_id": string,
                        "token": string,
                        "service_notice": string,
                        "account_id": nullable_string,
                    },
                },
                "Token": {
                    "type": "object",
                    "properties": {"service_request_id": string, "token": string},
                },
                "ServiceRequest": {
                    "type": "object",
                    "properties": {
                        "service_request_id": string,
                        "status": {"type": "string", "enum": ["open", "closed"]},
                        "status_notes": string,
                        "service_name": string,
                        "service_code": string,
                        "description": string,
                        "agency_responsible": string,
                        "service_notice": string,
                        "requested_datetime": {"type": "string", "format": "date-time"},
                        "updated_datetime": {"type": "string", "format": "date-time"},
                        "expected_datetime": {"type": "string", "format": "date-time", "nullable": True},
                        "address": string,
                        "address_id": string,
                        "zipcode": string,
                        "lat": {"type": "number", "nullable": True},
                        "long": {"type": "number", "nullable": True},
                        "media_url": string,
                    },
                },
            },
        },
    }
